package rpc

import (
	"context"
	"sync"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/text"
)

// textInterceptor cleans every string of every request message by the one
// rule for text (internal/text) before it is validated and handled: each
// field as the kind of text its (pactum.v1.text) option declares, a single
// line unless it says otherwise. Handlers (and so the database and the
// response) only ever see the cleaned text, so a Create or Update answers
// what was stored.
func textInterceptor() connect.Interceptor { return textCleaning{} }

type textCleaning struct{}

func (textCleaning) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if m, ok := req.Any().(proto.Message); ok {
			cleanText(m.ProtoReflect())
		}
		return next(ctx, req)
	}
}

func (textCleaning) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		return next(ctx, cleanedConn{conn})
	}
}

func (textCleaning) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

// cleanedConn cleans each message it receives.
type cleanedConn struct{ connect.StreamingHandlerConn }

func (c cleanedConn) Receive(msg any) error {
	if err := c.StreamingHandlerConn.Receive(msg); err != nil {
		return err
	}
	if m, ok := msg.(proto.Message); ok {
		cleanText(m.ProtoReflect())
	}
	return nil
}

// textKinds caches each string field's declared kind of text.
var textKinds sync.Map // protoreflect.FullName -> pactumv1.TextKind

func textKindOf(fd protoreflect.FieldDescriptor) pactumv1.TextKind {
	if k, ok := textKinds.Load(fd.FullName()); ok {
		return k.(pactumv1.TextKind)
	}
	k := pactumv1.TextKind_TEXT_KIND_UNSPECIFIED
	if opts := fd.Options(); opts != nil {
		k, _ = proto.GetExtension(opts, pactumv1.E_Text).(pactumv1.TextKind)
	}
	textKinds.Store(fd.FullName(), k)
	return k
}

// cleanString applies the rule for fd's kind of text to s.
func cleanString(fd protoreflect.FieldDescriptor, s string) string {
	switch textKindOf(fd) {
	case pactumv1.TextKind_TEXT_KIND_VERBATIM:
		return s
	case pactumv1.TextKind_TEXT_KIND_MULTI_LINE:
		return text.Block(s)
	default:
		return text.Line(s)
	}
}

// cleanText cleans the strings of m and of every message in it, in place.
// Map keys are left alone (the API has no user text in them).
func cleanText(m protoreflect.Message) {
	type change struct {
		fd protoreflect.FieldDescriptor
		v  protoreflect.Value
	}
	var changes []change
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
			mv := v.Map()
			vd := fd.MapValue()
			var set []protoreflect.MapKey
			mv.Range(func(k protoreflect.MapKey, e protoreflect.Value) bool {
				switch vd.Kind() {
				case protoreflect.StringKind:
					if cleanString(fd, e.String()) != e.String() {
						set = append(set, k)
					}
				case protoreflect.MessageKind, protoreflect.GroupKind:
					cleanText(e.Message())
				}
				return true
			})
			for _, k := range set {
				mv.Set(k, protoreflect.ValueOfString(cleanString(fd, mv.Get(k).String())))
			}
		case fd.IsList():
			l := v.List()
			for i := range l.Len() {
				switch fd.Kind() {
				case protoreflect.StringKind:
					if s := l.Get(i).String(); cleanString(fd, s) != s {
						l.Set(i, protoreflect.ValueOfString(cleanString(fd, s)))
					}
				case protoreflect.MessageKind, protoreflect.GroupKind:
					cleanText(l.Get(i).Message())
				}
			}
		case fd.Kind() == protoreflect.StringKind:
			if s := v.String(); cleanString(fd, s) != s {
				changes = append(changes, change{fd, protoreflect.ValueOfString(cleanString(fd, s))})
			}
		case fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind:
			cleanText(v.Message())
		}
		return true
	})
	for _, c := range changes {
		m.Set(c.fd, c.v)
	}
}
