package rpc

import (
	"context"
	"fmt"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pactum-dev/pactum/internal/errs"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// resultsServer maps ResultsService to the results package.
type resultsServer struct {
	svc *results.Service
}

// childIDs returns the ids of names "projects/{projectID}/{collection}/{id}",
// adding a violation for each that is malformed or of another project.
func childIDs(v *errs.Violations, names []string, projectID, collection, field string) []string {
	out := []string{}
	for k, n := range names {
		p, id, err := resource.ParseProjectChild(n, collection, field)
		switch {
		case err != nil:
			v.Add(fmt.Sprintf("%s[%d]", field, k), "must be a resource name of the form projects/{project}/%s/{id}, got %q", collection, n)
		case projectID != "" && p != projectID:
			v.Add(fmt.Sprintf("%s[%d]", field, k), "%s belongs to another project; give one of projects/%s", n, projectID)
		default:
			out = append(out, id)
		}
	}
	return out
}

var resultLevelToProto = map[results.Level]pactumv1.ResultLevel{
	results.LevelOverallObjective:  pactumv1.ResultLevel_RESULT_LEVEL_OVERALL_OBJECTIVE,
	results.LevelSpecificObjective: pactumv1.ResultLevel_RESULT_LEVEL_SPECIFIC_OBJECTIVE,
	results.LevelOutput:            pactumv1.ResultLevel_RESULT_LEVEL_OUTPUT,
}

var indicatorTypeToProto = map[results.Type]pactumv1.IndicatorType{
	results.TypeNumber:      pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER,
	results.TypePercentage:  pactumv1.IndicatorType_INDICATOR_TYPE_PERCENTAGE,
	results.TypeYesNo:       pactumv1.IndicatorType_INDICATOR_TYPE_YES_NO,
	results.TypeQualitative: pactumv1.IndicatorType_INDICATOR_TYPE_QUALITATIVE,
}

var (
	resultLevelFromProto   = reverse(resultLevelToProto)
	indicatorTypeFromProto = reverse(indicatorTypeToProto)
)

func resultToProto(r *results.Result) *pactumv1.Result {
	parent := ""
	if r.ParentResultID != "" {
		parent = results.ResultName(r.ProjectID, r.ParentResultID)
	}
	return &pactumv1.Result{
		Name: r.Name(), Level: resultLevelToProto[r.Level], ParentResult: parent, Code: r.Code, Title: r.Title,
		Description: r.Description, CreateTime: timestamppb.New(r.CreateTime), UpdateTime: timestamppb.New(r.UpdateTime), Etag: r.ETag(),
	}
}

// resultFromProto maps a result of project projectID to the domain's input.
func resultFromProto(p *pactumv1.Result, projectID string) (results.ResultInput, error) {
	var v errs.Violations
	in := results.ResultInput{Level: resultLevelFromProto[p.GetLevel()], Code: p.GetCode(), Title: p.GetTitle(), Description: p.GetDescription()}
	if p.GetParentResult() != "" {
		if ids := childIDs(&v, []string{p.GetParentResult()}, projectID, "results", "parent_result"); len(ids) == 1 {
			in.ParentResultID = ids[0]
		}
	}
	for k := range v {
		v[k].Field = "parent_result"
	}
	return in, v.Err()
}

func indicatorToProto(i *results.Indicator) *pactumv1.Indicator {
	out := &pactumv1.Indicator{
		Name: i.Name(), Result: results.ResultName(i.ProjectID, i.ResultID), Code: i.Code, Title: i.Title, Unit: i.Unit,
		Type: indicatorTypeToProto[i.Type], Baseline: i.Baseline,
		CreateTime: timestamppb.New(i.CreateTime), UpdateTime: timestamppb.New(i.UpdateTime), Etag: i.ETag(),
		EuCode: i.EUCode, EuCorporate: i.EUCorporate, BaselineDate: i.BaselineDate, FinalTarget: i.FinalTarget,
		TargetDate: i.TargetDate, DataSource: i.DataSource,
	}
	for _, d := range i.Disaggregations {
		out.Disaggregations = append(out.Disaggregations, &pactumv1.Disaggregation{Name: d.Name, Categories: d.Categories})
	}
	for _, p := range i.Periods {
		pp := &pactumv1.IndicatorPeriod{Period: int32(p.Period), Target: p.Target, Actual: p.Actual}
		for _, dv := range p.DisaggregatedActuals {
			pp.DisaggregatedActuals = append(pp.DisaggregatedActuals, &pactumv1.DisaggregatedValue{
				Disaggregation: dv.Disaggregation, Category: dv.Category, Value: dv.Value})
		}
		out.Periods = append(out.Periods, pp)
	}
	return out
}

func indicatorFromProto(p *pactumv1.Indicator, projectID string) (results.IndicatorInput, error) {
	var v errs.Violations
	in := results.IndicatorInput{Code: p.GetCode(), Title: p.GetTitle(), Unit: p.GetUnit(),
		Type: indicatorTypeFromProto[p.GetType()], Baseline: p.GetBaseline(),
		OPSYS: results.OPSYS{EUCode: p.GetEuCode(), EUCorporate: p.GetEuCorporate(), BaselineDate: p.GetBaselineDate(),
			FinalTarget: p.GetFinalTarget(), TargetDate: p.GetTargetDate(), DataSource: p.GetDataSource()}}
	if p.GetResult() != "" {
		if ids := childIDs(&v, []string{p.GetResult()}, projectID, "results", "result"); len(ids) == 1 {
			in.ResultID = ids[0]
		}
	}
	for k := range v {
		v[k].Field = "result"
	}
	for _, d := range p.GetDisaggregations() {
		in.Disaggregations = append(in.Disaggregations, results.Disaggregation{Name: d.GetName(), Categories: d.GetCategories()})
	}
	for _, pp := range p.GetPeriods() {
		per := results.Period{Period: int(pp.GetPeriod()), Target: pp.GetTarget(), Actual: pp.GetActual()}
		for _, dv := range pp.GetDisaggregatedActuals() {
			per.DisaggregatedActuals = append(per.DisaggregatedActuals, results.DisaggregatedValue{
				Disaggregation: dv.GetDisaggregation(), Category: dv.GetCategory(), Value: dv.GetValue()})
		}
		in.Periods = append(in.Periods, per)
	}
	return in, v.Err()
}

func (s *resultsServer) ListResults(ctx context.Context, req *connect.Request[pactumv1.ListResultsRequest]) (*connect.Response[pactumv1.ListResultsResponse], error) {
	pid, err := resource.ParseName(resource.Projects, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.ListResults(ctx, pid, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListResultsResponse{NextPageToken: next}
	for _, r := range list {
		out.Results = append(out.Results, resultToProto(r))
	}
	return connect.NewResponse(out), nil
}

func (s *resultsServer) GetResult(ctx context.Context, req *connect.Request[pactumv1.GetResultRequest]) (*connect.Response[pactumv1.GetResultResponse], error) {
	pid, id, err := resource.ParseProjectChild(req.Msg.GetName(), "results", "name")
	if err != nil {
		return nil, err
	}
	r, err := s.svc.GetResult(ctx, pid, id)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetResultResponse{Result: resultToProto(r)}), nil
}

func (s *resultsServer) CreateResult(ctx context.Context, req *connect.Request[pactumv1.CreateResultRequest]) (*connect.Response[pactumv1.CreateResultResponse], error) {
	pid, err := resource.ParseName(resource.Projects, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in, err := resultFromProto(req.Msg.GetResult(), pid)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "result.")
	}
	r, err := s.svc.CreateResult(ctx, pid, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "result.")
	}
	return connect.NewResponse(&pactumv1.CreateResultResponse{Result: resultToProto(r)}), nil
}

func (s *resultsServer) UpdateResult(ctx context.Context, req *connect.Request[pactumv1.UpdateResultRequest]) (*connect.Response[pactumv1.UpdateResultResponse], error) {
	p := req.Msg.GetResult()
	pid, id, err := resource.ParseProjectChild(p.GetName(), "results", "result.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), results.ResultUpdatable)
	if err != nil {
		return nil, err
	}
	in, err := resultFromProto(p, pid)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "result.")
	}
	r, err := s.svc.UpdateResult(ctx, pid, id, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "result.")
	}
	return connect.NewResponse(&pactumv1.UpdateResultResponse{Result: resultToProto(r)}), nil
}

func (s *resultsServer) ListIndicators(ctx context.Context, req *connect.Request[pactumv1.ListIndicatorsRequest]) (*connect.Response[pactumv1.ListIndicatorsResponse], error) {
	pid, err := resource.ParseName(resource.Projects, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	list, next, err := s.svc.ListIndicators(ctx, pid, page.Request{Size: req.Msg.GetPageSize(), Token: req.Msg.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &pactumv1.ListIndicatorsResponse{NextPageToken: next}
	for _, i := range list {
		out.Indicators = append(out.Indicators, indicatorToProto(i))
	}
	return connect.NewResponse(out), nil
}

func (s *resultsServer) GetIndicator(ctx context.Context, req *connect.Request[pactumv1.GetIndicatorRequest]) (*connect.Response[pactumv1.GetIndicatorResponse], error) {
	pid, id, err := resource.ParseProjectChild(req.Msg.GetName(), "indicators", "name")
	if err != nil {
		return nil, err
	}
	i, err := s.svc.GetIndicator(ctx, pid, id)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetIndicatorResponse{Indicator: indicatorToProto(i)}), nil
}

func (s *resultsServer) CreateIndicator(ctx context.Context, req *connect.Request[pactumv1.CreateIndicatorRequest]) (*connect.Response[pactumv1.CreateIndicatorResponse], error) {
	pid, err := resource.ParseName(resource.Projects, req.Msg.GetParent(), "parent")
	if err != nil {
		return nil, err
	}
	in, err := indicatorFromProto(req.Msg.GetIndicator(), pid)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "indicator.")
	}
	i, err := s.svc.CreateIndicator(ctx, pid, in, req.Msg.GetRequestId())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "indicator.")
	}
	return connect.NewResponse(&pactumv1.CreateIndicatorResponse{Indicator: indicatorToProto(i)}), nil
}

func (s *resultsServer) UpdateIndicator(ctx context.Context, req *connect.Request[pactumv1.UpdateIndicatorRequest]) (*connect.Response[pactumv1.UpdateIndicatorResponse], error) {
	p := req.Msg.GetIndicator()
	pid, id, err := resource.ParseProjectChild(p.GetName(), "indicators", "indicator.name")
	if err != nil {
		return nil, err
	}
	mask, err := updateMask(p, req.Msg.GetUpdateMask(), results.IndicatorUpdatable)
	if err != nil {
		return nil, err
	}
	in, err := indicatorFromProto(p, pid)
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "indicator.")
	}
	i, err := s.svc.UpdateIndicator(ctx, pid, id, in, mask, p.GetEtag())
	if err != nil {
		return nil, errs.WithFieldPrefix(err, "indicator.")
	}
	return connect.NewResponse(&pactumv1.UpdateIndicatorResponse{Indicator: indicatorToProto(i)}), nil
}

func (s *resultsServer) GetGrantResultsRollup(ctx context.Context, req *connect.Request[pactumv1.GetGrantResultsRollupRequest]) (*connect.Response[pactumv1.GetGrantResultsRollupResponse], error) {
	gid, err := resource.ParseName(resource.Grants, req.Msg.GetGrant(), "grant")
	if err != nil {
		return nil, err
	}
	list, err := s.svc.GrantRollup(ctx, gid)
	if err != nil {
		return nil, err
	}
	out := &pactumv1.GetGrantResultsRollupResponse{}
	for _, r := range list {
		ir := &pactumv1.IndicatorRollup{Code: r.Code, Title: r.Title, Unit: r.Unit, Type: indicatorTypeToProto[r.Type], Indicators: r.Indicators}
		if r.Type == results.TypeNumber {
			ir.TotalTarget, ir.TotalActual = r.TotalTarget.String(), r.TotalActual.String()
		}
		for _, p := range r.Periods {
			ir.Periods = append(ir.Periods, &pactumv1.PeriodRollup{Period: int32(p.Period), Target: p.Target.String(), Actual: p.Actual.String()})
		}
		for _, pv := range r.ProjectValues {
			ir.ProjectValues = append(ir.ProjectValues, &pactumv1.ProjectIndicatorValue{Indicator: pv.Indicator, Period: int32(pv.Period), Target: pv.Target, Actual: pv.Actual})
		}
		for _, m := range r.Mismatches {
			ir.Mismatches = append(ir.Mismatches, &pactumv1.DisaggregationMismatch{Indicator: m.Indicator, Period: int32(m.Period),
				Disaggregation: m.Disaggregation, Total: m.Total.String(), Sum: m.Sum.String()})
		}
		out.Indicators = append(out.Indicators, ir)
	}
	return connect.NewResponse(out), nil
}
