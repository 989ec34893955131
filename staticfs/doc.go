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
// # Caching
//
// Small files (CacheFileSize, 64 KiB) are kept in memory with their
// sidecars and precomputed headers, up to CacheBytes (32 MiB). A hit is
// revalidated with one Stat when its entry was last checked more than
// CacheTTL (1ms) ago, so a changed file is served from memory for at
// most that long.
//
// Larger files are streamed from the filesystem, with sendfile on OsFs and
// BasePathFs. Behind the connection layer (package conn), a body of 64 KiB
// or more is sent with the connection corked ([conn.Cork]), so that the
// response head and the body leave in full TCP segments.
//
// # Validators
//
// Files get a strong ETag built from their size and modification time,
// and Last-Modified from the time. Files without a modification time, as
// in an embed.FS, get neither, so clients revalidate rather than keep a
// stale body, unless ETags is ETagContent, which hashes the bytes.
// Precompressed sidecars (Encodings) have an ETag of their own.
package staticfs
