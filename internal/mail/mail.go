// Package mail sends Pactum's few emails (invitations, password resets) by
// SMTP. Without an SMTP configuration there is no Sender, and callers show
// or log the link instead.
package mail

import (
	"context"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Sender sends a plain-text email.
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SMTP sends through an SMTP server with STARTTLS when offered.
type SMTP struct {
	Addr string // host:port
	From string
	Auth smtp.Auth
}

// ParseURL reads "smtp://user:password@host:587" into an SMTP sender.
func ParseURL(raw, from string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Host == "" {
		return nil, fmt.Errorf("SMTP URL must look like smtp://user:password@host:587")
	}
	if from == "" {
		return nil, fmt.Errorf("a sender address (--smtp-from) is required with SMTP")
	}
	s := &SMTP{Addr: u.Host, From: from}
	if _, _, err := net.SplitHostPort(u.Host); err != nil {
		s.Addr = net.JoinHostPort(u.Host, "587")
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		s.Auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return s, nil
}

// Send implements Sender. A subject with letters beyond ASCII (a digest in
// Portuguese, say) is encoded as RFC 2047 requires.
func (s *SMTP) Send(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to+subject, "\r\n") {
		return fmt.Errorf("invalid header value")
	}
	msg := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s",
		s.From, to, mime.QEncoding.Encode("utf-8", subject), time.Now().UTC().Format(time.RFC1123Z), body)
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(s.Addr, s.Auth, s.From, []string{to}, []byte(msg)) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
