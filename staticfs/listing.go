package staticfs

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// entry is one line of a directory listing.
type entry struct {
	Name    string // as shown, with "/" after directories
	Href    string // relative, escaped URL
	Size    string // "" for directories
	ModTime string // "" when unknown
	isDir   bool
	json    jsonEntry
}

// jsonEntry is one element of a JSON listing.
type jsonEntry struct {
	Name    string `json:"name"`
	IsDir   bool   `json:"isDir"`
	Size    int64  `json:"size"`              // 0 for directories
	ModTime string `json:"modTime,omitempty"` // RFC 3339, absent when unknown
}

// serveListing sends an index of the directory: directories first, then
// files, each group sorted by name, with sizes and modification times,
// and without the entries the policies hide. It is HTML, or JSON for a
// client whose Accept prefers application/json to text/html.
func (h *Handler) serveListing(w http.ResponseWriter, r *http.Request, rt *root, name string, dir *file) {
	infos, err := dir.Readdir(-1)
	if err != nil {
		h.serveError(w, r, name, err)
		return
	}
	entries := make([]entry, 0, len(infos))
	for _, info := range h.servable(infos) {
		if e, ok := rt.listEntry(name, info); ok {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.isDir != b.isDir {
			if a.isDir {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	w.Header().Add("Vary", "Accept")
	if mediaWeight(r, "application/json") > mediaWeight(r, "text/html") {
		h.serveJSONListing(w, r, name, entries)
		return
	}
	var buf bytes.Buffer
	err = listingTemplate.Execute(&buf, struct {
		Path    string
		Parent  bool
		Entries []entry
	}{dirURL(name), name != "/", entries})
	if err != nil {
		h.serveError(w, r, name, err)
		return
	}
	writeBody(w, r, http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

func (h *Handler) serveJSONListing(w http.ResponseWriter, r *http.Request, name string, entries []entry) {
	list := make([]jsonEntry, len(entries))
	for i, e := range entries {
		list[i] = e.json
	}
	body, err := json.Marshal(list)
	if err != nil {
		h.serveError(w, r, name, err)
		return
	}
	writeBody(w, r, http.StatusOK, "application/json", append(body, '\n'))
}

// servable leaves out of a directory's entries the sidecars of its
// regular files ("app.js.gz" beside "app.js"), which are served in their
// file's place only, unless ExposeSidecars.
func (h *Handler) servable(infos []fs.FileInfo) []fs.FileInfo {
	if h.ExposeSidecars || len(h.encodings()) == 0 {
		return infos
	}
	files := make(map[string]bool, len(infos))
	for _, info := range infos {
		if !info.IsDir() {
			files[info.Name()] = true
		}
	}
	kept := infos[:0]
	for _, info := range infos {
		if !h.isSidecarOf(info, files) {
			kept = append(kept, info)
		}
	}
	return kept
}

// isSidecarOf reports whether info is a regular file named for one of
// files with the suffix of an encoding.
func (h *Handler) isSidecarOf(info fs.FileInfo, files map[string]bool) bool {
	if !info.Mode().IsRegular() {
		return false
	}
	for _, e := range h.encodings() {
		if base, ok := strings.CutSuffix(info.Name(), e.Ext); ok && base != "" && files[base] {
			return true
		}
	}
	return false
}

// listEntry describes one directory entry, following links under the
// symlink policy, and reports false for entries the policies hide.
func (rt *root) listEntry(dir string, info fs.FileInfo) (entry, bool) {
	full := path.Join(dir, info.Name())
	if rt.hidden(full) {
		return entry{}, false
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		target, err := rt.stat(full)
		if err != nil {
			return entry{}, false
		}
		info = target
	}
	// A link's info names its target: show the link's own name.
	e := entry{
		Name:  path.Base(full),
		Href:  "./" + url.PathEscape(path.Base(full)),
		isDir: info.IsDir(),
	}
	e.json = jsonEntry{Name: e.Name, IsDir: e.isDir}
	if e.isDir {
		e.Name += "/"
		e.Href += "/"
	} else {
		e.Size = formatSize(info.Size())
		e.json.Size = info.Size()
	}
	if mt := info.ModTime(); !isZeroTime(mt) {
		e.ModTime = mt.UTC().Format("2006-01-02 15:04")
		e.json.ModTime = mt.UTC().Format(time.RFC3339)
	}
	return e, true
}

func dirURL(name string) string {
	if name == "/" {
		return name
	}
	return name + "/"
}

// formatSize prints a size in bytes with a binary unit, as listings do.
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + "KMGTPE"[exp:exp+1] + "iB"
}

var listingTemplate = template.Must(template.New("listing").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Index of {{.Path}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.3rem; font-weight: 600; word-break: break-all; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e5e5e5; }
th { font-weight: 600; color: #555; }
td.size, td.time { white-space: nowrap; color: #555; font-variant-numeric: tabular-nums; }
.size { text-align: right; }
a { color: #2a6df4; text-decoration: none; }
a:hover { text-decoration: underline; }
</style>
</head>
<body>
<h1>Index of {{.Path}}</h1>
<table>
<thead><tr><th>Name</th><th class="size">Size</th><th>Modified (UTC)</th></tr></thead>
<tbody>
{{- if .Parent}}
<tr><td><a href="../">../</a></td><td class="size"></td><td class="time"></td></tr>
{{- end}}
{{- range .Entries}}
<tr><td><a href="{{.Href}}">{{.Name}}</a></td><td class="size">{{.Size}}</td><td class="time">{{.ModTime}}</td></tr>
{{- end}}
</tbody>
</table>
</body>
</html>
`))
