package app

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

// A streamed report outlives the server's WriteTimeout; other calls do not.
func TestLongStreamsOutliveTheWriteTimeout(t *testing.T) {
	t.Parallel()
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 4; i++ {
			time.Sleep(150 * time.Millisecond)
			_, _ = io.WriteString(w, strings.Repeat("x", 64<<10))
			_ = http.NewResponseController(w).Flush()
		}
	})
	srv := NewHTTPServer("127.0.0.1:0", longStreams(slow), slog.New(slog.DiscardHandler))
	srv.WriteTimeout = 300 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	get := func(path string) (int, error) {
		res, err := http.Post("http://"+ln.Addr().String()+path, "application/connect+proto", nil)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return len(b), err
	}
	n, err := get("/" + pactumv1connect.ReportServiceName + "/ExportFinancialReport")
	if err != nil || n != 4*(64<<10) {
		t.Errorf("report stream: %d bytes, %v", n, err)
	}
	if n, err := get("/" + pactumv1connect.FinanceServiceName + "/GetBudgetVsActual"); err == nil && n == 4*(64<<10) {
		t.Errorf("another procedure was not cut by the write timeout (%d bytes)", n)
	}
}
