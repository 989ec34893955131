package staticfs

import (
	"net/http"
	"strconv"

	"github.com/webstatic/webstatic/internal/coding"
)

// defaultCompress is Compress's nil value, and defaultCompressMinSize
// CompressMinSize's zero value (Caddy's encode uses 512 bytes too).
var defaultCompress = []string{"br", "zstd", "gzip"}

const defaultCompressMinSize = 512

func (h *Handler) compressCodings() []string {
	if h.Compress == nil {
		return defaultCompress
	}
	return h.Compress
}

// compressible reports whether the file that id describes is worth
// compressing: compression is on, the file is at least CompressMinSize
// bytes and its type is one of CompressTypes.
func (h *Handler) compressible(id *representation) bool {
	if len(h.compressCodings()) == 0 || id.size < orDefault(h.CompressMinSize, defaultCompressMinSize) {
		return false
	}
	types := h.CompressTypes
	if types == nil {
		types = defaultCompressTypes
	}
	return coding.TypeMatches(types, id.contentType[0])
}

var defaultCompressTypes = coding.DefaultTypes()

// DefaultCompressTypes returns the media types compressed when
// Handler.CompressTypes is nil: text/*, JavaScript, JSON and XML (and
// their +json and +xml kin), SVG, WebAssembly, and the font formats that
// are not compressed already.
func DefaultCompressTypes() []string { return coding.DefaultTypes() }

// compressedOnce is id, a file whose bytes are in memory, compressed
// with c, for the cache. It reports false when the encoded body would
// not be smaller.
func (h *Handler) compressedOnce(id *representation, c string) (representation, bool) {
	body, err := coding.Compress(c, id.body)
	if err != nil || len(body) >= len(id.body) {
		return representation{}, false
	}
	rep := h.made(id, c)
	rep.body = body
	rep.size = int64(len(body))
	rep.length = one(strconv.Itoa(len(body)))
	if h.ETags == ETagContent && id.etag != nil {
		rep.etag = one(quoteTag(hashBytes(body), c))
	}
	return rep, true
}

// made is the representation of id compressed with c by the Handler: on
// the fly as it is sent (no body, no length), unless compressedOnce
// fills them in. Its ETag is id's with the coding appended, the form of a
// sidecar's; Last-Modified and revalidation are id's.
func (h *Handler) made(id *representation, c string) representation {
	rep := *id
	rep.coding = c
	rep.made = true
	rep.body = nil
	rep.length = nil
	rep.encoding = one(c)
	if id.etag != nil {
		rep.etag = one(quoteTag(id.tag, c))
	}
	return rep
}

// streamedFromIdentity reports whether a request for a representation
// compressed on the fly is answered with the file itself instead: a
// range of a stream that is never the same length twice cannot be
// served, so ranges come from the identity bytes.
func streamedFromIdentity(rep *representation, r *http.Request) bool {
	if !rep.made || rep.body != nil {
		return false
	}
	_, ok := r.Header["Range"]
	return ok
}
