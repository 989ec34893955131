package coding

import (
	"bytes"
	"io"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Streamable reports whether coding can be produced while a response is
// sent: gzip and zstd. Brotli in pure Go is too slow for that (Caddy
// declined it for the same reason); it is made once, by [Compress].
func Streamable(coding string) bool { return coding == "gzip" || coding == "zstd" }

// Known reports whether coding is one this package encodes.
func Known(coding string) bool { return coding == "br" || Streamable(coding) }

// zstdWindow bounds the zstd window for HTTP: RFC 8878, section 3.1.1.1.2,
// asks decoders of HTTP content to support 8 MiB, no more.
const zstdWindow = 8 << 20

// Stream levels: what nginx uses by default for gzip (gzip_comp_level 1)
// and zstd's fastest, as Caddy's encode does.
var (
	gzipStreams = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
		return w
	}}
	zstdStreams = sync.Pool{New: func() any {
		w, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(zstdWindow), zstd.WithLowerEncoderMem(true))
		return w
	}}
)

// Stream is an encoder writing to a response as it is sent. Close
// flushes it and returns it to its pool; a Stream must not be used after
// Close.
type Stream struct {
	coding string
	gz     *gzip.Writer
	zs     *zstd.Encoder
}

// openStreams counts the Streams made and not yet closed, for leak
// tests.
var openStreams atomic.Int64

// OpenStreams returns how many Streams were made and not closed.
func OpenStreams() int64 { return openStreams.Load() }

// NewStream returns a Stream that encodes into dst with coding, which
// must be Streamable.
func NewStream(coding string, dst io.Writer) *Stream {
	openStreams.Add(1)
	s := &Stream{coding: coding}
	switch coding {
	case "gzip":
		s.gz = gzipStreams.Get().(*gzip.Writer)
		s.gz.Reset(dst)
	case "zstd":
		s.zs = zstdStreams.Get().(*zstd.Encoder)
		s.zs.Reset(dst)
	default:
		panic("coding: cannot stream " + coding)
	}
	return s
}

// Write encodes p.
func (s *Stream) Write(p []byte) (int, error) {
	if s.gz != nil {
		return s.gz.Write(p)
	}
	return s.zs.Write(p)
}

// copyBuffers are ReadFrom's buffers: a response compressed as it is
// sent would otherwise cost io.Copy's 32 KiB allocation every time.
var copyBuffers = sync.Pool{New: func() any { return new([32 << 10]byte) }}

// ReadFrom encodes what src holds, through a pooled buffer.
func (s *Stream) ReadFrom(src io.Reader) (int64, error) {
	buf := copyBuffers.Get().(*[32 << 10]byte)
	defer copyBuffers.Put(buf)
	return io.CopyBuffer(struct{ io.Writer }{s}, src, buf[:])
}

// Flush writes what is buffered, for http.Flusher.
func (s *Stream) Flush() error {
	if s.gz != nil {
		return s.gz.Flush()
	}
	return s.zs.Flush()
}

// Close ends the stream and returns the encoder to its pool.
func (s *Stream) Close() error {
	var err error
	if s.gz != nil || s.zs != nil {
		openStreams.Add(-1)
	}
	switch {
	case s.gz != nil:
		err = s.gz.Close()
		s.gz.Reset(io.Discard)
		gzipStreams.Put(s.gz)
		s.gz = nil
	case s.zs != nil:
		err = s.zs.Close()
		s.zs.Reset(nil)
		zstdStreams.Put(s.zs)
		s.zs = nil
	}
	return err
}

// Once levels: a body compressed once and served from memory many times
// is worth a high level, but not the highest, which costs the first
// request too much: on 64 KiB of text, Brotli quality 11 takes 82 ms and
// 9 takes 4 ms for 7% more bytes; zstd's best 31 ms, its "better" 7 ms.
//
// The one encoder is made with a single worker and a 1 MiB window (the
// bodies are at most MemoryCacheFileSize; a window only bounds how far
// back matches reach): with the defaults, one worker per CPU and an
// 8 MiB window, it held 25 MB of heap for good; this way 5 MB. Loads
// that compress at the same time wait for it in turn.
var zstdOnce = sync.OnceValue(func() *zstd.Encoder {
	w, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBetterCompression),
		zstd.WithWindowSize(1<<20), zstd.WithLowerEncoderMem(true), zstd.WithEncoderConcurrency(1))
	return w
})

// brotliOnceQuality is the Brotli quality of bodies compressed once.
const brotliOnceQuality = 9

// Compress returns src encoded with coding at a high level, for bodies
// kept in memory: gzip level 9, zstd's "better", Brotli quality 9 with a
// window that fits the body.
func Compress(coding string, src []byte) ([]byte, error) {
	var buf bytes.Buffer
	switch coding {
	case "gzip":
		w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(src); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	case "zstd":
		return zstdOnce().EncodeAll(src, make([]byte, 0, len(src)/2)), nil
	case "br":
		w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotliOnceQuality, LGWin: brotliWindow(len(src))})
		if _, err := w.Write(src); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	default:
		panic("coding: cannot compress " + coding)
	}
	return buf.Bytes(), nil
}

// brotliWindow is the smallest Brotli window (log2, 10 to 24) that holds
// n bytes: a larger one costs memory and time for nothing.
func brotliWindow(n int) int {
	lg := 10
	for lg < 24 && 1<<lg-16 < n {
		lg++
	}
	return lg
}
