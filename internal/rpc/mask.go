package rpc

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/resource"
)

// updateMask returns the fields an Update changes (AIP-134): the paths of
// mask, each of which must be updatable ("*" means all); or, for an empty
// mask, every updatable field that is set in msg.
func updateMask(msg proto.Message, mask *fieldmaskpb.FieldMask, updatable []string) (resource.Mask, error) {
	paths := mask.GetPaths()
	if len(paths) == 0 {
		var out resource.Mask
		msg.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
			if slices.Contains(updatable, string(fd.Name())) {
				out = append(out, string(fd.Name()))
			}
			return true
		})
		if len(out) == 0 {
			return nil, errs.Invalid(errs.FieldViolation{Field: "update_mask",
				Description: "nothing to update: set the fields to change, or name them in update_mask (" + strings.Join(updatable, ", ") + ")"})
		}
		return out, nil
	}
	if len(paths) == 1 && paths[0] == "*" {
		return resource.Mask(updatable), nil
	}
	var v errs.Violations
	for _, p := range paths {
		top, _, _ := strings.Cut(p, ".")
		if !slices.Contains(updatable, top) {
			v.Add("update_mask", "%s", fmt.Sprintf("%q cannot be updated; updatable fields are %s", p, strings.Join(updatable, ", ")))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return resource.Mask(paths), nil
}
