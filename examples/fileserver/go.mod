module github.com/webstatic/webstatic/examples/fileserver

go 1.25.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/spf13/afero v1.15.0
	github.com/webstatic/webstatic v0.0.0-00010101000000-000000000000
	go.uber.org/goleak v1.3.0
	golang.org/x/crypto v0.55.0
)

require (
	github.com/andybalholm/brotli v1.3.0 // indirect
	github.com/felixge/httpsnoop v1.0.4 // indirect
	github.com/klauspost/compress v1.20.4 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace github.com/webstatic/webstatic => ../..
