module github.com/webstatic/webstatic

go 1.25.0

require (
	github.com/andybalholm/brotli v1.3.0
	github.com/felixge/httpsnoop v1.0.4
	github.com/google/go-cmp v0.7.0
	github.com/klauspost/compress v1.20.4
	github.com/spf13/afero v1.15.0
	go.uber.org/goleak v1.3.0
	golang.org/x/crypto v0.55.0
)

require golang.org/x/text v0.41.0 // indirect
