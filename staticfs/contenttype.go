package staticfs

import (
	"io"
	"net/http"
	"path"
	"strings"
)

// builtinTypes maps extensions to Content-Types. It is fixed, unlike
// mime.TypeByExtension, which reads the host's MIME files and so answers
// differently from one machine to the next. Text types carry their
// charset; JSON's media type defines none (RFC 8259). Binary downloads
// (.bin, .exe, .iso, ...) are application/octet-stream, as in nginx's
// mime.types: sniffing would cost a read and a seek on every request for
// files too large to cache, and could call a blob text.
var builtinTypes = map[string]string{
	".avif":        "image/avif",
	".bin":         "application/octet-stream",
	".bmp":         "image/bmp",
	".cjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".deb":         "application/octet-stream",
	".dll":         "application/octet-stream",
	".dmg":         "application/octet-stream",
	".exe":         "application/octet-stream",
	".gif":         "image/gif",
	".gz":          "application/gzip",
	".htm":         "text/html; charset=utf-8",
	".html":        "text/html; charset=utf-8",
	".ico":         "image/x-icon",
	".img":         "application/octet-stream",
	".iso":         "application/octet-stream",
	".jpeg":        "image/jpeg",
	".jpg":         "image/jpeg",
	".js":          "text/javascript; charset=utf-8",
	".json":        "application/json",
	".jsonld":      "application/ld+json",
	".map":         "application/json",
	".md":          "text/markdown; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".mp3":         "audio/mpeg",
	".mp4":         "video/mp4",
	".msi":         "application/octet-stream",
	".oga":         "audio/ogg",
	".ogg":         "audio/ogg",
	".ogv":         "video/ogg",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".png":         "image/png",
	".rss":         "application/rss+xml",
	".svg":         "image/svg+xml",
	".tar":         "application/x-tar",
	".ttf":         "font/ttf",
	".txt":         "text/plain; charset=utf-8",
	".wasm":        "application/wasm",
	".webm":        "video/webm",
	".webmanifest": "application/manifest+json",
	".webp":        "image/webp",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".xml":         "text/xml; charset=utf-8",
	".zip":         "application/zip",
}

// typeByExtension returns the Content-Type that name's extension calls
// for, or "" when neither ContentTypes nor the built-in table know it.
func (h *Handler) typeByExtension(name string) string {
	ext := path.Ext(name)
	if ext == "" {
		return ""
	}
	if t, ok := h.ContentTypes[ext]; ok {
		return t
	}
	if t, ok := builtinTypes[ext]; ok {
		return t
	}
	lower := strings.ToLower(ext)
	if t, ok := h.ContentTypes[lower]; ok {
		return t
	}
	return builtinTypes[lower]
}

// sniffLen is how much http.DetectContentType looks at.
const sniffLen = 512

// contentType returns the file's Content-Type: by the extension of the
// requested name, else of the link target it resolved to, or as a last
// resort sniffed from its first bytes, after which it rewinds the file.
func (h *Handler) contentType(f *file) (string, error) {
	if t := h.typeByExtension(f.name); t != "" {
		return t, nil
	}
	if t := h.typeByExtension(f.real); t != "" {
		return t, nil
	}
	var buf [sniffLen]byte
	n, err := io.ReadFull(f, buf[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return http.DetectContentType(buf[:n]), nil
}
