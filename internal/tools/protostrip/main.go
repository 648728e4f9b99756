// Command protostrip removes protovalidate rules and the google.api
// annotations from a buf image before the
// TypeScript client is generated from it. The browser does not enforce the
// rules (the server does, in one interceptor), and without them the web app
// need not embed the large descriptor of buf/validate/validate.proto.
//
// Usage: protostrip < image.binpb > stripped.binpb
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

const validateFile = "buf/validate/validate.proto"

// stripped says whether file is left out with its options: protovalidate's
// rules, and google.api's resource and field behaviour annotations, which
// document the API and which the browser does not read either.
func stripped(file string) bool {
	return file == validateFile || strings.HasPrefix(file, "google/api/")
}

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	// buf images are wire-compatible with FileDescriptorSet; their per-file
	// extensions survive as unknown fields. No resolver: protovalidate's
	// options stay unknown fields on the options messages.
	var set descriptorpb.FileDescriptorSet
	if err := (proto.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(in, &set); err != nil {
		fail(err)
	}
	var files []*descriptorpb.FileDescriptorProto
	for _, f := range set.File {
		if stripped(f.GetName()) {
			continue
		}
		f.Dependency = slices.DeleteFunc(f.Dependency, stripped)
		f.PublicDependency, f.WeakDependency = nil, nil
		for _, m := range f.MessageType {
			stripMessage(m)
		}
		files = append(files, f)
	}
	set.File = files
	out, err := proto.Marshal(&set)
	if err != nil {
		fail(err)
	}
	if _, err := os.Stdout.Write(out); err != nil {
		fail(err)
	}
}

func stripMessage(m *descriptorpb.DescriptorProto) {
	clearUnknown(m.GetOptions())
	for _, f := range m.Field {
		clearUnknown(f.GetOptions())
	}
	for _, o := range m.OneofDecl {
		clearUnknown(o.GetOptions())
	}
	for _, n := range m.NestedType {
		stripMessage(n)
	}
}

func clearUnknown(m proto.Message) {
	if m == nil {
		return
	}
	r := m.ProtoReflect()
	if !r.IsValid() {
		return
	}
	r.SetUnknown(nil)
	r.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		if fd.IsExtension() {
			r.Clear(fd)
		}
		return true
	})
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "protostrip:", err)
	os.Exit(1)
}
