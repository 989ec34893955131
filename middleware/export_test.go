package middleware

// AppendCLFTime exports appendCLFTime to the black-box tests.
var AppendCLFTime = appendCLFTime
