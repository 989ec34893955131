package staticfs

import (
	"io"
	"io/fs"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/spf13/afero"

	"github.com/webstatic/webstatic/internal/coding"
)

// Handler serves the files of an afero filesystem over HTTP.
//
// The zero value of every option is the safe, common choice, so
//
//	h := &staticfs.Handler{FS: fsys}
//
// serves fsys with index.html files, directory redirects, 404.html pages,
// ranges and conditional requests and precompressed sidecars, hides
// dotfiles, refuses symlinks that leave the tree and lists no directories.
// A Handler must not be changed or copied once it serves requests; it is
// safe for concurrent use.
type Handler struct {
	// FS is the filesystem to serve, with the URL path "/" mapped to its
	// root. It is usually afero.NewBasePathFs(afero.NewOsFs(), dir), often
	// wrapped in afero.NewReadOnlyFs, an afero.NewMemMapFs, or an embed.FS
	// through FromIOFS. A nil FS answers every request with 500.
	//
	// Names are passed to FS rooted ("/css/site.css", "/"), as afero's
	// layers pass them on. An io/fs filesystem wants unrooted names: wrap
	// it with FromIOFS, which also works inside afero's layers (a bare
	// afero.FromIOFS as FS is wrapped by the Handler itself). MemMapFs
	// keeps "/a" and "a" apart: create its files with rooted names, or
	// with package staticfstest.
	FS afero.Fs

	// IndexNames lists the files served for a directory request, in order
	// of preference: the first that exists is served. nil means
	// {"index.html"}; an empty, non-nil slice serves no index files.
	// Entries are plain file names, without slashes.
	IndexNames []string

	// KeepIndexURLs turns off the 301 redirect of ".../index.html" (or any
	// name in IndexNames that the directory would serve) to ".../". The
	// default redirect, like net/http's, keeps one URL per page.
	KeepIndexURLs bool

	// NotFoundPages lists the file names of the page sent with a 404
	// status, in order of preference: the nearest page to the requested
	// path is sent, looking in the requested directory and then in each
	// parent up to the root. nil means {"404.html"}; an empty, non-nil
	// slice sends a short plain-text body instead. Pages are subject to
	// the same dotfile and symlink rules as any file.
	NotFoundPages []string

	// ErrorHandler, when set, writes every error response in place of the
	// Handler's own (404 page or plain text). status is the code the
	// Handler would send; err says why (an error wrapping fs.ErrNotExist,
	// fs.ErrPermission, ErrHidden, ErrInvalidPath, ErrMethodNotAllowed,
	// ErrPreconditionFailed, ErrRangeNotSatisfiable, ErrUnavailable,
	// ErrBadGateway or a filesystem error). The response headers are those the outer handlers set, with
	// none of the file's (no ETag, Last-Modified, Cache-Control or
	// Headers hook headers); a 416 carries Content-Range with the file's
	// length, a 503 Retry-After. err may hold file system paths: log it, never write it to
	// the client.
	ErrorHandler func(w http.ResponseWriter, r *http.Request, status int, err error)

	// ErrorLog records the errors answered with 500 or 502, which point
	// at a problem on the server or its storage. nil means the log package's standard logger.
	ErrorLog *log.Logger

	// AllowDotfiles serves files and directories whose name starts with a
	// dot. By default any path segment starting with "." answers 404, which
	// keeps .git, .env and .htpasswd private, with one exception: the
	// top-level /.well-known/ directory (RFC 8615).
	AllowDotfiles bool

	// HideWellKnown answers 404 for /.well-known/ too, when dotfiles are
	// hidden.
	HideWellKnown bool

	// Symlinks says which symbolic links are followed. The default,
	// SymlinksWithinRoot, follows a link only when its target resolves
	// inside the served tree.
	Symlinks SymlinkPolicy

	// Listing serves an HTML index of a directory that has no index file.
	// Off by default: such a directory answers 404. Dotfiles and links
	// that the policies hide are left out of the listing.
	Listing bool

	// ContentTypes maps file extensions, with their dot and in lower case
	// (".md"), to the Content-Type sent for them. It is consulted before the
	// built-in table, which does not depend on the host's MIME files.
	ContentTypes map[string]string

	// Encodings lists the precompressed sidecars served in place of a
	// file, in order of preference: for "app.js", "app.js.br" with
	// Content-Encoding: br to a client whose Accept-Encoding allows it.
	// The client's q-values come first, then this order; q=0 refuses a
	// coding. Every response of a file with sidecars says Vary:
	// Accept-Encoding, carries the original's Content-Type and an ETag of
	// its own per encoding; ranges and conditional requests apply to the
	// encoded bytes. Sidecars must be regular files (not links) and are
	// trusted to hold the same content as the file. nil means
	// DefaultEncodings; an empty, non-nil slice turns sidecars off.
	Encodings []Encoding

	// ExposeSidecars serves a sidecar ("app.js.gz") when asked for by its
	// own name. By default such a request answers 404 while the file it
	// belongs to ("app.js") exists, so that each resource has one URL.
	ExposeSidecars bool

	// Compress lists the content codings the Handler compresses files
	// with itself, for clients whose Accept-Encoding allows them (q-values
	// first, then this order), when no sidecar of that coding exists:
	// "br", "zstd" and "gzip". A file whose bytes the memory cache holds
	// is compressed once, when its entry is loaded, at a high level (br
	// quality 9, zstd "better", gzip 9), and every hit is then served
	// from memory like a sidecar (with Content-Length, ranges and an ETag
	// of its own); a larger file is
	// compressed as it is sent, with zstd or gzip at their fastest levels
	// (Brotli is too slow for that in pure Go), without Content-Length,
	// and a Range request for it is answered from the file itself. Only
	// files of CompressTypes of at least CompressMinSize bytes are
	// compressed, and none whose response says Cache-Control: no-transform
	// (from CacheControl or an outer handler; the Headers hook runs after
	// the choice). Every response of a file that has more than one
	// representation says Vary: Accept-Encoding. nil means {"br", "zstd",
	// "gzip"}; an empty, non-nil slice turns compression off.
	Compress []string

	// CompressTypes lists the media types Compress applies to: whole
	// types ("application/json"), type prefixes ending in "/" ("text/")
	// or suffixes starting with "+" ("+xml"). nil means
	// DefaultCompressTypes(); images other than SVG, audio, video, woff
	// fonts and archives are compressed already.
	CompressTypes []string

	// CompressMinSize is the smallest file compressed; 0 means 512 bytes,
	// a negative value no minimum.
	CompressMinSize int64

	// Extensions lists the extensions tried, in order, for a URL path
	// that matches no file or directory and does not end in "/": with
	// {".html"}, "/about" serves "/about.html" (clean URLs, as send's
	// extensions and Caddy's try_files {path}.html do). The file answers
	// under the URL asked for: CacheControl rules and the Headers hook see
	// "/about". nil means none.
	Extensions []string

	// RedirectExtensions answers a request for "/about.html" with a 301
	// to "/about" (query kept) when Extensions would serve the file there,
	// so that each page has one URL.
	RedirectExtensions bool

	// FileTrailingSlash says what a request for a file with a trailing
	// slash ("/about.html/") gets: TrailingSlashRedirect (the default, a
	// 301 to the URL without it), TrailingSlashNotFound or
	// TrailingSlashServe.
	FileTrailingSlash TrailingSlash

	// SPAPage, when set, turns on the single-page-app fallback: a GET or
	// HEAD for a path that matches no file, has no extension in its last
	// segment and whose Accept header lists text/html, gets this page (a
	// URL path, such as "/index.html") with status 200 and Cache-Control:
	// no-cache. Missing assets ("/app.css", or requests that do not
	// accept HTML, such as fetch calls) still get 404, and so do hidden
	// files. "" means no fallback.
	SPAPage string

	// CacheControl sets the Cache-Control response header of served files
	// (not of the in-memory cache, see MemoryCacheBytes): the first rule
	// that matches the file's URL path wins; no match sets nothing. 304
	// responses carry it too; error responses and redirects never do.
	// Example:
	//
	//	[]staticfs.CacheControlRule{
	//		{Pattern: "/assets/", Value: "public, max-age=31536000, immutable"},
	//		{Pattern: "*.html", Value: "no-cache"},
	//	}
	CacheControl []CacheControlRule

	// Headers, when set, is called for every file about to be served
	// (after CacheControl, before the body), with the clean URL path and
	// the file's info, to set custom headers on w. They go out on the
	// file's 200, 206 and 304 answers; a 412 or 416, decided after the
	// call, drops them with the file's other headers. It is not called
	// for errors, redirects or listings.
	Headers func(w http.ResponseWriter, r *http.Request, name string, info fs.FileInfo)

	// ETags says what ETags are built from: ETagMeta (default, size and
	// modification time) or ETagContent (a hash of the bytes).
	ETags ETagMode

	// ETagHashEntries bounds the number of content hashes ETagContent
	// keeps for files whose bytes are not in the memory cache; 0 means
	// 16384 (about 1.6 MB), a negative value keeps none (every request for
	// such a file hashes it).
	ETagHashEntries int

	// MemoryCacheBytes bounds the memory of the Handler's cache of files,
	// keyed by URL path: for each file served, the headers of the file
	// and of its sidecars, and the bytes of those of at most
	// MemoryCacheFileSize bytes. A hit costs no walk of the path's links
	// and no sidecar lookups; a small file's hit costs no open or read
	// either, and at most one Stat. 0 means 32 MiB; a negative value
	// turns the cache off.
	//
	// Validation rule: a file sent from its bytes in memory, when its
	// entry was last found unchanged more than RevalidateInterval ago, is
	// Stat'ed (and so is the sidecar about to be sent); a file sent from
	// the filesystem is checked with the Stat of the file opened. If size,
	// modification time or mode differ from when the entry was made, the
	// entry is dropped and the file served afresh. What a Stat cannot see
	// (a file rewritten with the same size within the filesystem's time
	// resolution, a sidecar added beside a cached file, a link changed on
	// the path of a file that did not change) shows when the entry is
	// reloaded: when its file changes or it is evicted.
	MemoryCacheBytes int64

	// MemoryCacheFileSize is the largest file whose bytes the cache holds;
	// 0 means 64 KiB, a negative value holds no bytes (headers only).
	MemoryCacheFileSize int64

	// RevalidateInterval is how long after a cached file was last found
	// unchanged a hit may skip the Stat that revalidates it. 0 means 1ms
	// on filesystems backed by the operating system (OsFs, and the afero
	// layers over it, whose LstatIfPossible reaches lstat(2)): under load
	// that saves nearly every Stat (a system call costs more than the rest
	// of a hit), while a change on disk shows within a millisecond;
	// nginx's open_file_cache_valid does the same with 60s. On other
	// filesystems (MemMapFs, io/fs) 0 means a Stat on every hit, which
	// costs no system call there, so a test that writes a file and reads
	// it back at once gets the new bytes. A negative value Stats on every
	// hit everywhere.
	RevalidateInterval time.Duration

	clock func() time.Time // nil: time.Now; set by tests

	once sync.Once // guards st
	st   *state
}

// ServeHTTP answers GET and HEAD requests with the file the URL path
// names, OPTIONS with the allowed methods, and other methods with 405.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header()["X-Content-Type-Options"] = nosniffValue
	if !h.checkMethod(w, r) || h.serveCached(w, r) {
		return
	}
	name, err := cleanPath(r.URL.Path)
	if err != nil {
		h.serveError(w, r, name, err)
		return
	}
	rt := h.root()
	f, err := rt.open(name)
	if err != nil {
		h.serveMissing(w, r, &rt, name, err)
		return
	}
	defer f.Close()
	switch {
	case f.info.IsDir():
		h.serveDir(w, r, &rt, name, f)
	case name == "/":
		// The root is a file (a BasePathFs over a file): there is no
		// URL to send the client to, and none that stays in the mount.
		h.serveError(w, r, name, errRootNotDir)
	case h.redirectFile(w, r, &rt, name):
	case !h.ExposeSidecars && h.isSidecar(&rt, name):
		h.serveError(w, r, name, errSidecar)
	default:
		h.serveFile(w, r, &rt, f, r.URL.Path, "")
	}
}

// serveCached answers from the cache when it holds a fresh entry for the
// URL path, and reports whether it did.
func (h *Handler) serveCached(w http.ResponseWriter, r *http.Request) bool {
	c := h.state().files
	if c == nil || h.FS == nil {
		return false
	}
	e := c.get(r.URL.Path)
	if e == nil {
		return false
	}
	rep := e.pick(w, r)
	if !h.fresh(e, rep) {
		c.remove(r.URL.Path, e)
		return false
	}
	rt := h.root()
	if !h.serveEntry(w, r, &rt, rep, nil) {
		c.remove(r.URL.Path, e)
		return false
	}
	return true
}

// checkMethod answers OPTIONS and disallowed methods and reports whether
// the request is a GET or HEAD to go on with.
func (h *Handler) checkMethod(w http.ResponseWriter, r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodOptions:
		w.Header().Set("Allow", allowedMethods)
		w.WriteHeader(http.StatusNoContent)
		return false
	default:
		w.Header().Set("Allow", allowedMethods)
		h.serveError(w, r, "", ErrMethodNotAllowed)
		return false
	}
}

const allowedMethods = "GET, HEAD, OPTIONS"

// serveDir serves a directory: a redirect to its canonical URL with a
// trailing slash, then its index file or its listing.
func (h *Handler) serveDir(w http.ResponseWriter, r *http.Request, rt *root, name string, dir *file) {
	if redirectDir(w, r) {
		return
	}
	index, err := h.openIndex(rt, name)
	if err == nil {
		defer index.Close()
		h.serveFile(w, r, rt, index, r.URL.Path, "")
		return
	}
	if !errorIsNotFound(err) {
		h.serveError(w, r, name, err)
		return
	}
	if !h.Listing {
		h.serveError(w, r, name, errNoIndex)
		return
	}
	h.serveListing(w, r, rt, name, dir)
}

// serveFile answers with the regular file f, or the sidecar the client
// prefers, for the URL path cacheKey: through the cache, which keeps the
// file's entry under that key, unless the key is "" or the cache is off.
// A non-empty cacheControl overrides the CacheControl rules.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, rt *root, f *file, cacheKey, cacheControl string) {
	if !f.info.Mode().IsRegular() {
		// Devices, pipes and sockets are no web content.
		h.serveError(w, r, f.name, errNotRegular)
		return
	}
	ctype, err := h.contentType(f)
	if err != nil {
		h.serveError(w, r, f.name, err)
		return
	}
	if cacheControl == "" {
		cacheControl = h.ruleFor(f.name)
	}
	if c := h.state().files; c != nil && cacheKey != "" {
		if e := h.loadEntry(c, rt, f, ctype, cacheControl); e != nil && h.serveEntry(w, r, rt, e.pick(w, r), f) {
			c.put(cacheKey, e)
			return
		}
	}
	h.serveUncached(w, r, rt, f, ctype, cacheControl)
}

// serveUncached answers with f, the sidecar the client prefers, or f
// compressed as it is sent, deciding anew for this request what the
// cache would keep.
func (h *Handler) serveUncached(w http.ResponseWriter, r *http.Request, rt *root, f *file, ctype, cacheControl string) {
	id, err := h.describe(f, f, "", ctype, cacheControl, false, -1)
	if err != nil {
		h.serveError(w, r, f.name, err)
		return
	}
	var buf [8]Encoding
	sidecars := rt.sidecars(buf[:0], h.encodings(), f.real)
	var streamBuf [4]string
	streams := h.streamCodings(streamBuf[:0], &id, sidecars)
	cand := func(i int) (string, bool) {
		if i < len(sidecars) {
			return sidecars[i].Coding, false
		}
		return streams[i-len(sidecars)], true
	}
	rep, content := &id, io.ReadSeeker(f.content())
	switch i := bestCoding(w, r, len(sidecars)+len(streams), cand, id.noTransform); {
	case i < 0:
	case i < len(sidecars):
		if sc, err := rt.openSidecar(f.name, f.real+sidecars[i].Ext); err == nil {
			defer sc.Close()
			if v, err := h.describe(f, sc, sidecars[i].Coding, ctype, cacheControl, false, -1); err == nil {
				rep, content = &v, sc.content()
			}
		}
	default:
		if made := h.made(&id, streams[i-len(sidecars)]); !streamedFromIdentity(&made, r) {
			rep = &made
		}
	}
	rep.vary = len(sidecars)+len(streams) > 0
	h.serve(w, r, rep, content)
}

// streamCodings appends to dst the codings of Compress that the file id
// describes can be compressed with as it is sent, leaving out those a
// sidecar gives.
func (h *Handler) streamCodings(dst []string, id *representation, sidecars []Encoding) []string {
	if !h.compressible(id) {
		return dst
	}
	for _, c := range h.compressCodings() {
		if coding.Streamable(c) && !hasCoding(sidecars, c) {
			dst = append(dst, c)
		}
	}
	return dst
}

func hasCoding(encs []Encoding, c string) bool {
	for _, e := range encs {
		if e.Coding == c {
			return true
		}
	}
	return false
}

// corkMinSize is the body size from which serve corks the connection
// (see conn.Cork), from memory or from disk: net/http writes a response
// through a 4 KiB buffer, so a larger body leaves in two writes at least,
// each sent at once; corked, a body from memory leaves with its head in
// one writev (16 KiB: 1 system call instead of 2 writes and the 2
// setsockopt calls of TCP_CORK), a file under TCP_CORK. Below it the
// whole response fits net/http's buffer and leaves in one write anyway.
const corkMinSize = 4 << 10
