// Package staticfs serves static files from any afero filesystem with the
// care of a production web server.
//
// A [Handler] maps the URL path to a file of its [Handler.FS], serves the
// index file of a directory, redirects to canonical URLs, answers missing
// files with the nearest 404.html page and hands every file to
// [net/http.ServeContent], which implements ranges (single and multipart),
// If-Range, If-Match, If-None-Match, If-Modified-Since,
// If-Unmodified-Since and HEAD.
//
//	fsys := afero.NewReadOnlyFs(afero.NewBasePathFs(afero.NewOsFs(), "site"))
//	http.Handle("/", &staticfs.Handler{FS: fsys})
//
// # Compared with http.FileServer
//
// http.FileServer answers a path through a regular file ("/index.html/x")
// with 500 on afero filesystems, lists every directory, serves dotfiles and
// follows symlinks anywhere, takes Content-Types from the host's MIME files
// and sets no ETag. A Handler answers 404, lists nothing unless asked,
// hides dotfiles and links that leave the tree, uses a fixed type table,
// sets strong ETags, sends X-Content-Type-Options: nosniff, answers OPTIONS
// and 405, serves 404 pages, and keeps sendfile on afero's BasePathFs.
//
// # Paths
//
// The URL path is cleaned (leading slash, path.Clean) before any file is
// looked up, so "..", "%2e%2e" and "%2f" cannot leave the root; NUL bytes
// and backslashes answer 400. The Handler reads r.URL.Path, so it works
// behind [net/http.StripPrefix] and under ServeMux patterns such as
// "GET /static/".
//
// # Security defaults
//
// Every default is the safe one; each has a field to change it:
//
//   - Dotfiles: any segment starting with "." answers 404, except the
//     top-level /.well-known/ directory (AllowDotfiles, HideWellKnown).
//   - Symlinks: followed only when their target resolves inside the tree;
//     absolute targets are refused (Symlinks).
//   - Listings: off; a directory without index file answers 404 (Listing).
//   - Errors: 404 for anything that does not exist or is hidden, 403 for
//     permission errors, 500 with a fixed text otherwise. No path and no
//     error text ever reaches the client (ErrorHandler, ErrorLog).
//
// The checks run on every request, against the filesystem as it is then;
// a tree that an attacker can change while it is served (swapping a
// directory for a link between the check and the open) is out of scope.
//
// # Options
//
// Every option of a [Handler] follows one convention, so that the zero
// value is always the safe default and turning a default off is spelled
// the same way everywhere:
//
//	kind of option   unset (zero value)     off, or none
//	bool             false: the default     (booleans are named so that false is safe)
//	number           0: the default         a negative value
//	slice            nil: the default       an empty, non-nil slice
//	string, func     "" or nil: none        (what they name is off unless set)
//	enum             the first constant     (ETagMeta, SymlinksWithinRoot)
//
// For example MemoryCacheBytes 0 is 32 MiB and -1 turns the cache off;
// IndexNames nil is {"index.html"} and []string{} serves no index files;
// NotFoundPages nil is {"404.html"} and []string{} sends plain-text 404s;
// SPAPage "" is no fallback. The enums ([ETagMode], [SymlinkPolicy])
// implement flag.Value.
//
// Two options are about caching and are not to be confused: CacheControl
// sets the Cache-Control response header that browsers and proxies obey;
// MemoryCacheBytes, MemoryCacheFileSize and RevalidateInterval size and
// check the Handler's own in-memory cache of files.
//
// # One representation, one place
//
// For each file served the Handler decides once what it sends: the file
// or the sidecar the client prefers, its Content-Type, ETag,
// Last-Modified, Content-Encoding, Vary, Cache-Control and length. The
// in-memory cache keeps that decision; a request without the cache makes
// it anew in the same code, and one function writes the response from it,
// so cached and uncached answers are the same (a differential test over
// ranges, multipart ranges, every conditional, HEAD, sidecars, the SPA
// fallback, 404 pages and outer handlers that set headers checks it).
//
// Ranges and conditional requests go to [net/http.ServeContent], with two
// corrections where it strays from RFC 9110: a Range with a unit other
// than bytes is ignored (section 14.2) and "bytes=-0" is unsatisfiable
// (section 14.1.1). The errors it decides (412, 416) are answered through
// the Handler's error path, like a 404: with the headers outer handlers
// set and none of the file's, by ErrorHandler when set. When an outer
// handler has set Content-Encoding before the Handler runs, the Handler
// sends the file itself with no Content-Length, as ServeContent does, for
// the outer handler to encode.
//
// # Caching
//
// The Handler keeps, per URL path, the headers of every file it serves
// and of its sidecars, and the bytes of small ones (MemoryCacheFileSize,
// 64 KiB), up to MemoryCacheBytes (32 MiB). A hit costs no walk of the
// path's links and no sidecar lookups; a small file's hit costs no open
// or read either. A hit from memory is revalidated with one Stat when its
// entry was last checked more than RevalidateInterval ago: 1ms on
// filesystems backed by the operating system, every hit on in-memory ones
// (a test that writes a MemMapFs file and reads it back gets the new
// bytes). A file sent from disk is checked with the Stat of the file it
// opens.
//
// Larger files are streamed from the filesystem, with sendfile on OsFs and
// BasePathFs. Behind the connection layer (package conn), a body of 4 KiB
// or more is sent with the connection corked ([conn.Cork]): a body from
// memory leaves with its head in one writev, a file from disk under
// TCP_CORK, so that the response leaves in full TCP segments.
//
// # Validators
//
// Files get a strong ETag built from their size and modification time,
// and Last-Modified from the time. Files without a modification time, as
// in an embed.FS, get neither, so clients revalidate rather than keep a
// stale body, unless ETags is ETagContent, which hashes the bytes.
// Precompressed sidecars (Encodings) have an ETag of their own. A
// filesystem that keeps its own strong tag of each file (an object
// store) hands it over through [ETagger], so every replica serving the
// store gives the same ETag without reading the bytes.
//
// # io/fs and embed.FS
//
// [FromIOFS] turns an io/fs filesystem into an afero.Fs that takes the
// rooted names afero's layers pass on, so an embed.FS can be served
// read-only, copy-on-write or from a sub-directory:
//
//	h := &staticfs.Handler{FS: afero.NewReadOnlyFs(staticfs.FromIOFS(sub))}
//
// Package staticfstest builds trees in memory for tests and records
// responses.
package staticfs
