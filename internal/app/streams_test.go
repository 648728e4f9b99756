package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
)

// A streamed report outlives the server's WriteTimeout; other calls do not.
//
// The server runs in a synctest bubble over in-memory connections
// (net.Pipe), whose deadlines, like the handler's sleeps, follow the
// bubble's fake clock: the test takes no real time and does not depend on
// the machine's speed. (A real socket's deadline is kept by the kernel's
// clock, which synctest does not move.)
func TestLongStreamsOutliveTheWriteTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var handlers sync.WaitGroup // the bubble ends once they have
		slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			handlers.Add(1)
			defer handlers.Done()
			for i := 0; i < 4; i++ {
				time.Sleep(150 * time.Millisecond)
				_, _ = io.WriteString(w, strings.Repeat("x", 64<<10))
				_ = http.NewResponseController(w).Flush()
			}
		})
		srv := NewHTTPServer("pipe", longStreams(slow), slog.New(slog.DiscardHandler))
		srv.WriteTimeout = 300 * time.Millisecond
		ln := newPipeListener()
		go func() { _ = srv.Serve(ln) }()
		t.Cleanup(func() { _ = srv.Close() })
		client := &http.Client{Transport: &http.Transport{DialContext: ln.dial, DisableKeepAlives: true}}

		get := func(path string) (int, time.Duration, error) {
			start := time.Now()
			res, err := client.Post("http://pipe"+path, "application/connect+proto", nil)
			if err != nil {
				return 0, 0, err
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			return len(b), time.Since(start), err
		}
		n, took, err := get("/" + pactumv1connect.ReportServiceName + "/ExportFinancialReport")
		if err != nil || n != 4*(64<<10) || took != 600*time.Millisecond {
			t.Errorf("report stream: %d bytes in %v, %v; want %d bytes in 600ms", n, took, err, 4*(64<<10))
		}
		if n, took, err := get("/" + pactumv1connect.FinanceServiceName + "/GetBudgetVsActual"); err == nil && n == 4*(64<<10) {
			t.Errorf("another procedure was not cut by the write timeout (%d bytes in %v)", n, took)
		}
		handlers.Wait()
	})
}

// pipeListener is a net.Listener whose connections are net.Pipe pairs: dial
// gives the client's end, Accept the server's.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	close sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.close.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
