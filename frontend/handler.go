package frontend

import (
	"compress/gzip"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// Handler serves the web app: hashed assets with long-lived caching, every
// other path the app's index.html (the app routes in the browser), gzipped
// for slow connections.
func Handler() http.Handler {
	dist := Dist()
	files := http.FileServerFS(dist)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p != "" {
			if st, err := fs.Stat(dist, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(w, r)
				return
			}
			if strings.HasPrefix(p, "assets/") || path.Ext(p) != "" {
				http.NotFound(w, r)
				return
			}
		}
		// index.html for the app's own routes (/grants/..., /sign-in, ...).
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, dist, "index.html")
	})
	// Best compression: assets are compressed once per request on a small
	// server, and every byte counts on a 400 kbit/s line.
	wrap, err := gzhttp.NewWrapper(gzhttp.CompressionLevel(gzip.BestCompression))
	if err != nil {
		panic(err)
	}
	return wrap(h)
}
