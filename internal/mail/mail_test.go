package mail_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"net"
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/mail"
)

// fakeSMTP is a minimal SMTP server that records one message.
type fakeSMTP struct {
	ln      net.Listener
	auth    chan string
	from    chan string
	to      chan string
	message chan string
}

func startFakeSMTP(t *testing.T) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln, auth: make(chan string, 1), from: make(chan string, 1), to: make(chan string, 1), message: make(chan string, 1)}
	t.Cleanup(func() { _ = ln.Close() })
	go f.serve()
	return f
}

func (f *fakeSMTP) serve() {
	c, err := f.ln.Accept()
	if err != nil {
		return
	}
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		switch up := strings.ToUpper(cmd); {
		case strings.HasPrefix(up, "EHLO"):
			say("250-fake")
			say("250 AUTH PLAIN")
		case strings.HasPrefix(up, "AUTH PLAIN"):
			raw, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(cmd[len("AUTH PLAIN"):]))
			f.auth <- strings.ReplaceAll(string(raw), "\x00", "|")
			say("235 ok")
		case strings.HasPrefix(up, "MAIL FROM:"):
			f.from <- cmd[len("MAIL FROM:"):]
			say("250 ok")
		case strings.HasPrefix(up, "RCPT TO:"):
			f.to <- cmd[len("RCPT TO:"):]
			say("250 ok")
		case up == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.message <- b.String()
			say("250 queued")
		case up == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func TestSMTPSendsAMessage(t *testing.T) {
	t.Parallel()
	f := startFakeSMTP(t)
	s, err := mail.ParseURL("smtp://pactum:secret@"+f.ln.Addr().String(), "pactum@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "amina@example.org", "You are invited to Pactum", "Open https://pactum.example.org/accept-invitation?token=pi_x"); err != nil {
		t.Fatal(err)
	}
	if got := <-f.auth; got != "|pactum|secret" {
		t.Errorf("auth %q", got)
	}
	if got := <-f.from; got != "<pactum@example.org>" {
		t.Errorf("from %q", got)
	}
	if got := <-f.to; got != "<amina@example.org>" {
		t.Errorf("to %q", got)
	}
	msg := <-f.message
	for _, want := range []string{"To: amina@example.org", "Subject: You are invited to Pactum", "charset=utf-8", "accept-invitation?token=pi_x"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestSMTPConfigurationErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ url, from string }{
		{"http://host", "a@b.org"},
		{"smtp://", "a@b.org"},
		{"smtp://host:25", ""},
	} {
		if _, err := mail.ParseURL(c.url, c.from); err == nil {
			t.Errorf("ParseURL(%q, %q) accepted", c.url, c.from)
		}
	}
	s, err := mail.ParseURL("smtp://127.0.0.1:1", "a@b.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "x@y.org\r\nBcc: evil@z.org", "hi", "body"); err == nil {
		t.Error("a header injection was sent")
	}
}

func TestSMTPEncodesASubjectBeyondASCII(t *testing.T) {
	t.Parallel()
	f := startFakeSMTP(t)
	s, err := mail.ParseURL("smtp://"+f.ln.Addr().String(), "pactum@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "ana@example.org", "Échéances à venir", "Bonjour Ana,"); err != nil {
		t.Fatal(err)
	}
	<-f.from
	<-f.to
	msg := <-f.message
	if !strings.Contains(msg, "Subject: =?utf-8?q?=C3=89ch=C3=A9ances_=C3=A0_venir?=\r\n") || !strings.Contains(msg, "Bonjour Ana,") {
		t.Errorf("message:\n%s", msg)
	}
}
