package rpc

import (
	"context"
	"io"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/narrative/export"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/resource"
)

// narrativeServer maps NarrativeReportService to the narrative package.
type narrativeServer struct {
	pactumv1connect.UnimplementedNarrativeReportServiceHandler
	svc    *narrative.Service
	tmpDir func() string
}

var narrativeKinds = map[narrative.Kind]pactumv1.NarrativeReportKind{
	narrative.KindInterim: pactumv1.NarrativeReportKind_NARRATIVE_REPORT_KIND_INTERIM,
	narrative.KindFinal:   pactumv1.NarrativeReportKind_NARRATIVE_REPORT_KIND_FINAL,
}

var narrativeStates = map[narrative.State]pactumv1.NarrativeReportState{
	narrative.StateDraft:     pactumv1.NarrativeReportState_NARRATIVE_REPORT_STATE_DRAFT,
	narrative.StateSubmitted: pactumv1.NarrativeReportState_NARRATIVE_REPORT_STATE_SUBMITTED,
}

var narrativeSectionKinds = map[narrative.SectionKind]pactumv1.NarrativeSectionKind{
	narrative.SectionExecutiveSummary: pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_EXECUTIVE_SUMMARY,
	narrative.SectionOutput:           pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_OUTPUT,
	narrative.SectionPartner:          pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_PARTNER,
	narrative.SectionCooperation:      pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_COOPERATION,
	narrative.SectionVisibility:       pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_VISIBILITY,
	narrative.SectionRecords:          pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_RECORDS,
}

var narrativeSourceKinds = map[narrative.SourceKind]pactumv1.NarrativeSourceKind{
	narrative.SourceProgressUpdate: pactumv1.NarrativeSourceKind_NARRATIVE_SOURCE_KIND_PROGRESS_UPDATE,
	narrative.SourceActivity:       pactumv1.NarrativeSourceKind_NARRATIVE_SOURCE_KIND_ACTIVITY,
	narrative.SourceIndicator:      pactumv1.NarrativeSourceKind_NARRATIVE_SOURCE_KIND_INDICATOR,
	narrative.SourceResult:         pactumv1.NarrativeSourceKind_NARRATIVE_SOURCE_KIND_RESULT,
}

var resultLevels = map[string]pactumv1.ResultLevel{
	"overall_objective":  pactumv1.ResultLevel_RESULT_LEVEL_OVERALL_OBJECTIVE,
	"specific_objective": pactumv1.ResultLevel_RESULT_LEVEL_SPECIFIC_OBJECTIVE,
	"output":             pactumv1.ResultLevel_RESULT_LEVEL_OUTPUT,
}

var indicatorTypes = map[string]pactumv1.IndicatorType{
	"number":      pactumv1.IndicatorType_INDICATOR_TYPE_NUMBER,
	"percentage":  pactumv1.IndicatorType_INDICATOR_TYPE_PERCENTAGE,
	"yes_no":      pactumv1.IndicatorType_INDICATOR_TYPE_YES_NO,
	"qualitative": pactumv1.IndicatorType_INDICATOR_TYPE_QUALITATIVE,
}

func narrativeSectionToProto(grantID string, period int, s *narrative.Section) *pactumv1.NarrativeSection {
	p := &pactumv1.NarrativeSection{
		Name: narrative.SectionName(grantID, period, s.Key), Kind: narrativeSectionKinds[s.Kind], Subject: s.Subject,
		SubjectDisplayName: s.SubjectDisplayName, Text: s.Text(), CompiledText: s.CompiledText, Edited: s.EditedText != nil,
		SourcesChanged: s.SourcesChanged, EditorDisplayName: s.EditorDisplayName, EditTime: optionalTime(s.EditTime),
		Etag: resource.ETag(s.Version),
	}
	if s.EditBaseText != nil {
		p.EditBaseText = *s.EditBaseText
	}
	for _, src := range s.Sources {
		p.Sources = append(p.Sources, &pactumv1.NarrativeSource{Name: src.Name, Kind: narrativeSourceKinds[src.Kind],
			DisplayName: src.DisplayName, OrganisationDisplayName: src.OrganisationDisplayName})
	}
	return p
}

func participantsToProto(p narrative.People) *pactumv1.Participants {
	return &pactumv1.Participants{Women: int32(p.Women), Men: int32(p.Men), OtherOrNotStated: int32(p.Other), Total: int32(p.Total())}
}

func partyToProto(p narrative.Party) *pactumv1.NarrativeParty {
	return &pactumv1.NarrativeParty{Organisation: p.Organisation, DisplayName: p.DisplayName, CountryCode: p.CountryCode, Role: p.Role}
}

func disaggregatedToProto(ds []narrative.Disaggregated) []*pactumv1.DisaggregatedValue {
	out := make([]*pactumv1.DisaggregatedValue, 0, len(ds))
	for _, d := range ds {
		out = append(out, &pactumv1.DisaggregatedValue{Disaggregation: d.Disaggregation, Category: d.Category, Value: d.Value})
	}
	return out
}

func narrativeToProto(l *narrative.Loaded) *pactumv1.NarrativeReport {
	r := l.Report
	grantID := r.Grant[len("grants/"):]
	d := r.Description
	out := &pactumv1.NarrativeReport{
		Name: narrative.Name(grantID, r.Period), Grant: r.Grant, ReportingPeriod: int32(r.Period),
		PeriodStartDate: r.PeriodStart.String(), PeriodEndDate: r.PeriodEnd.String(), Kind: narrativeKinds[r.Kind],
		State: narrativeStates[r.State], Language: r.Language,
		Description: &pactumv1.NarrativeDescription{Title: d.Title, ContractNumber: d.ContractNumber, Coordinator: partyToProto(d.Coordinator),
			ContactName: d.ContactName, ContactEmail: d.ContactEmail, TargetCountries: d.TargetCountries, CountriesOfActivity: d.CountriesOfActivity,
			ParticipantsPeriod: participantsToProto(d.ParticipantsPeriod), ParticipantsToDate: participantsToProto(d.ParticipantsToDate),
			ActivitiesPeriod: int32(d.ActivitiesPeriod), StartDate: d.Start.String(), EndDate: d.End.String()},
		PhotosIncluded: int32(len(r.Photos)), PhotosWithoutConsent: int32(r.PhotosWithoutConsent), UpdatesIncluded: int32(r.UpdatesIncluded),
		UpdatesNotApproved: int32(r.UpdatesNotApproved), CompileTime: timestamppb.New(r.CompileTime),
		SubmitterDisplayName: r.SubmitterDisplayName, CallerCanEdit: l.CallerCanEdit, Etag: resource.ETag(r.Version),
	}
	if !r.SubmitDate.IsZero() {
		out.SubmitDate = r.SubmitDate.String()
	}
	for _, p := range d.Partners {
		out.Description.Partners = append(out.Description.Partners, partyToProto(p))
	}
	for _, s := range r.Sections {
		out.Sections = append(out.Sections, narrativeSectionToProto(grantID, r.Period, s))
		if s.SourcesChanged {
			out.SectionsWithChangedSources++
		}
	}
	for _, i := range r.Logframe {
		pi := &pactumv1.NarrativeIndicator{ResultLevel: resultLevels[i.ResultLevel], ResultCode: i.ResultCode, ResultTitle: i.ResultTitle,
			Code: i.Code, Title: i.Title, Unit: i.Unit, Type: indicatorTypes[i.Type], Baseline: i.Baseline,
			TargetPeriod: i.TargetPeriod, AchievedPeriod: i.AchievedPeriod, TargetToDate: i.TargetToDate, AchievedToDate: i.AchievedToDate,
			DisaggregatedValues: disaggregatedToProto(i.Disaggregated)}
		for _, v := range i.PartnerValues {
			pi.PartnerValues = append(pi.PartnerValues, &pactumv1.NarrativePartnerValue{OrganisationDisplayName: v.OrganisationDisplayName,
				ProjectDisplayName: v.ProjectDisplayName, Indicator: v.Indicator, Target: v.Target, Achieved: v.Achieved,
				DisaggregatedValues: disaggregatedToProto(v.Disaggregated)})
		}
		out.Logframe = append(out.Logframe, pi)
	}
	for _, c := range r.ProcurementContracts {
		out.ProcurementContracts = append(out.ProcurementContracts, &pactumv1.NarrativeProcurementContract{Reference: c.Reference,
			Title: c.Title, Contractor: c.Contractor, Procedure: c.Procedure, AwardDate: c.AwardDate.String(), Amount: c.Amount,
			OrganisationDisplayName: c.OrganisationDisplayName})
	}
	return out
}

func (s *narrativeServer) GetNarrativeReport(ctx context.Context, req *connect.Request[pactumv1.GetNarrativeReportRequest]) (*connect.Response[pactumv1.GetNarrativeReportResponse], error) {
	g, period, err := narrative.ParseName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	r, err := s.svc.Get(ctx, g, period)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.GetNarrativeReportResponse{NarrativeReport: narrativeToProto(r)}), nil
}

func (s *narrativeServer) CompileNarrativeReport(ctx context.Context, req *connect.Request[pactumv1.CompileNarrativeReportRequest]) (*connect.Response[pactumv1.CompileNarrativeReportResponse], error) {
	g, period, err := narrative.ParseName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	r, err := s.svc.Compile(ctx, g, period)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.CompileNarrativeReportResponse{NarrativeReport: narrativeToProto(r)}), nil
}

func (s *narrativeServer) UpdateNarrativeSection(ctx context.Context, req *connect.Request[pactumv1.UpdateNarrativeSectionRequest]) (*connect.Response[pactumv1.UpdateNarrativeSectionResponse], error) {
	m := req.Msg
	g, period, key, err := narrative.ParseSectionName(m.GetName(), "name")
	if err != nil {
		return nil, err
	}
	sec, err := s.svc.UpdateSection(ctx, g, period, key, m.GetText(), m.GetUseCompiled(), m.GetEtag())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.UpdateNarrativeSectionResponse{Section: narrativeSectionToProto(g, period, sec)}), nil
}

func (s *narrativeServer) SubmitNarrativeReport(ctx context.Context, req *connect.Request[pactumv1.SubmitNarrativeReportRequest]) (*connect.Response[pactumv1.SubmitNarrativeReportResponse], error) {
	g, period, err := narrative.ParseName(req.Msg.GetName(), "name")
	if err != nil {
		return nil, err
	}
	r, err := s.svc.Submit(ctx, g, period, req.Msg.GetEtag(), req.Msg.GetSubmitDate())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&pactumv1.SubmitNarrativeReportResponse{NarrativeReport: narrativeToProto(r)}), nil
}

var narrativeFormats = map[pactumv1.ReportFormat]export.Format{
	pactumv1.ReportFormat_REPORT_FORMAT_DOCX: export.DOCX,
	pactumv1.ReportFormat_REPORT_FORMAT_PDF:  export.PDF,
}

func (s *narrativeServer) ExportNarrativeReport(ctx context.Context, req *connect.Request[pactumv1.ExportNarrativeReportRequest], stream *connect.ServerStream[pactumv1.ExportNarrativeReportResponse]) error {
	g, period, err := narrative.ParseName(req.Msg.GetName(), "name")
	if err != nil {
		return err
	}
	f := narrativeFormats[req.Msg.GetFormat()]
	r := export.Request{GrantID: g, Period: period, Format: f, Language: req.Msg.GetLanguage()}
	gen := func(ctx context.Context, _ report.Request, w io.Writer, progress report.Progress) (string, error) {
		return export.Write(ctx, s.svc, r, w, progress)
	}
	// The financial report's streaming, its parts carried over one by one.
	send := func(m *pactumv1.ExportFinancialReportResponse) error {
		out := &pactumv1.ExportNarrativeReportResponse{}
		switch p := m.GetPart().(type) {
		case *pactumv1.ExportFinancialReportResponse_Progress:
			out.Part = &pactumv1.ExportNarrativeReportResponse_Progress{Progress: p.Progress}
		case *pactumv1.ExportFinancialReportResponse_File:
			out.Part = &pactumv1.ExportNarrativeReportResponse_File{File: p.File}
		case *pactumv1.ExportFinancialReportResponse_Chunk:
			out.Part = &pactumv1.ExportNarrativeReportResponse_Chunk{Chunk: p.Chunk}
		}
		return stream.Send(out)
	}
	tmp := ""
	if s.tmpDir != nil {
		tmp = s.tmpDir()
	}
	return streamReport(ctx, send, gen, report.Request{}, f.ContentType(), tmp)
}
