package conn

// AcceptByHand lets a test call l.Accept itself, without a server, as
// the tests of Conn's methods and of Close do.
func AcceptByHand(l *Listener) *Listener {
	l.started.Store(true)
	l.serving.Store(&serving{})
	return l
}
