package rpc_test

import (
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/pactum-dev/pactum/internal/gen/pactum/v1" // registers the pactum.v1 files
)

// pactumMethods returns every method of every pactum.v1 service, from the
// generated file descriptors.
func pactumMethods(t *testing.T) []protoreflect.MethodDescriptor {
	t.Helper()
	var out []protoreflect.MethodDescriptor
	protoregistry.GlobalFiles.RangeFilesByPackage("pactum.v1", func(f protoreflect.FileDescriptor) bool {
		for i := range f.Services().Len() {
			ms := f.Services().Get(i).Methods()
			for j := range ms.Len() {
				out = append(out, ms.Get(j))
			}
		}
		return true
	})
	if len(out) < 50 {
		t.Fatalf("found %d methods in pactum.v1; the generated files are not registered", len(out))
	}
	return out
}

func hasField(m protoreflect.MessageDescriptor, name string, kind protoreflect.Kind) bool {
	fd := m.Fields().ByName(protoreflect.Name(name))
	return fd != nil && fd.Kind() == kind && !fd.IsList()
}

// resourceOf returns the resource descriptor of m, or nil.
func resourceOf(m protoreflect.MessageDescriptor) *annotations.ResourceDescriptor {
	r, _ := proto.GetExtension(m.Options(), annotations.E_Resource).(*annotations.ResourceDescriptor)
	return r
}

func behaviours(fd protoreflect.FieldDescriptor) []annotations.FieldBehavior {
	b, _ := proto.GetExtension(fd.Options(), annotations.E_FieldBehavior).([]annotations.FieldBehavior)
	return b
}

// Every List is paginated (AIP-158): page_size and page_token in, and
// next_page_token out.
func TestEveryListIsPaginated(t *testing.T) {
	n := 0
	for _, md := range pactumMethods(t) {
		if !strings.HasPrefix(string(md.Name()), "List") {
			continue
		}
		n++
		in, out := md.Input(), md.Output()
		if !hasField(in, "page_size", protoreflect.Int32Kind) {
			t.Errorf("%s: %s has no int32 page_size", md.FullName(), in.Name())
		}
		if !hasField(in, "page_token", protoreflect.StringKind) {
			t.Errorf("%s: %s has no string page_token", md.FullName(), in.Name())
		}
		if !hasField(out, "next_page_token", protoreflect.StringKind) {
			t.Errorf("%s: %s has no string next_page_token", md.FullName(), out.Name())
		}
	}
	if n < 20 {
		t.Errorf("checked %d List methods; expected the 20 or more pactum.v1 has", n)
	}
}

// Every Create of a resource whose id the server assigns (its name is an
// IDENTIFIER, set by the server) takes a request_id (AIP-155), so that a
// flaky network's retry does not create twice.
func TestEveryCreateTakesRequestID(t *testing.T) {
	n := 0
	for _, md := range pactumMethods(t) {
		if !strings.HasPrefix(string(md.Name()), "Create") {
			continue
		}
		var made protoreflect.MessageDescriptor
		fields := md.Output().Fields()
		for i := range fields.Len() {
			if fd := fields.Get(i); fd.Message() != nil && resourceOf(fd.Message()) != nil {
				made = fd.Message()
				break
			}
		}
		if made == nil {
			t.Errorf("%s: its response %s holds no annotated resource", md.FullName(), md.Output().Name())
			continue
		}
		name := made.Fields().ByName("name")
		if name == nil {
			t.Errorf("%s: resource %s has no name field", md.FullName(), made.FullName())
			continue
		}
		serverAssigned := false
		for _, b := range behaviours(name) {
			if b == annotations.FieldBehavior_IDENTIFIER || b == annotations.FieldBehavior_OUTPUT_ONLY {
				serverAssigned = true
			}
		}
		if !serverAssigned {
			continue
		}
		n++
		if !hasField(md.Input(), "request_id", protoreflect.StringKind) {
			t.Errorf("%s: %s makes %s, whose id the server assigns, but takes no request_id", md.FullName(), md.Input().Name(), made.Name())
		}
	}
	if n < 15 {
		t.Errorf("checked %d Create methods; expected the 15 or more pactum.v1 has", n)
	}
}

// Every resource's name is annotated IDENTIFIER, and its pattern starts
// with a collection this API serves.
func TestResourcesAreAnnotated(t *testing.T) {
	n := 0
	protoregistry.GlobalFiles.RangeFilesByPackage("pactum.v1", func(f protoreflect.FileDescriptor) bool {
		for i := range f.Messages().Len() {
			m := f.Messages().Get(i)
			r := resourceOf(m)
			if r == nil {
				continue
			}
			n++
			if !strings.HasPrefix(r.GetType(), "pactum.dev/") || len(r.GetPattern()) == 0 {
				t.Errorf("%s: resource type %q, patterns %q", m.FullName(), r.GetType(), r.GetPattern())
			}
			name := m.Fields().ByName("name")
			if name == nil || len(behaviours(name)) != 1 || behaviours(name)[0] != annotations.FieldBehavior_IDENTIFIER {
				t.Errorf("%s: its name is not annotated IDENTIFIER", m.FullName())
			}
		}
		return true
	})
	if n < 20 {
		t.Errorf("found %d annotated resources; expected 20 or more", n)
	}
}
