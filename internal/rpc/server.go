// Package rpc is Pactum's transport: Connect handlers that map protobuf
// messages to the domain packages and back, the interceptors every call goes
// through (caller, errors, validation), gRPC health and reflection.
package rpc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"buf.build/go/protovalidate"
	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"

	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/agreement"
	"github.com/pactum-dev/pactum/internal/attachment"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/budget"
	"github.com/pactum-dev/pactum/internal/contract"
	"github.com/pactum-dev/pactum/internal/expenditure"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/fx"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/identity"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/narrative"
	"github.com/pactum-dev/pactum/internal/notification"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/procurement"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/project"
	"github.com/pactum-dev/pactum/internal/receipt"
	"github.com/pactum-dev/pactum/internal/report"
	"github.com/pactum-dev/pactum/internal/results"
)

// Services are the domain services the handlers call.
type Services struct {
	Identity      *identity.Service
	Audit         *audit.Service
	Organisations *organisation.Service
	Agreements    *agreement.Service
	Grants        *grant.Service
	Projects      *project.Service
	Milestones    *milestone.Service
	Budgets       *budget.Service
	Rates         *fx.Service
	Expenditures  *expenditure.Service
	Receipts      *receipt.Service
	Finance       *finance.Service
	Reports       *report.Service
	Results       *results.Service
	Activities    *activity.Service
	Progress      *progress.Service
	Attachments   *attachment.Service
	Notifications *notification.Service
	Contracts     *contract.Service
	Narrative     *narrative.Service
	Procurement   *procurement.Service
}

// MaxRequestBytes caps the size of a request message.
const MaxRequestBytes = 4 << 20

// ServiceNames are the fully qualified names of Pactum's services.
var ServiceNames = []string{
	pactumv1connect.AuthServiceName,
	pactumv1connect.UserServiceName,
	pactumv1connect.AuditServiceName,
	pactumv1connect.OrganisationServiceName,
	pactumv1connect.FrameworkAgreementServiceName,
	pactumv1connect.GrantServiceName,
	pactumv1connect.ProjectServiceName,
	pactumv1connect.MilestoneServiceName,
	pactumv1connect.BudgetServiceName,
	pactumv1connect.ExchangeRateServiceName,
	pactumv1connect.ExpenditureServiceName,
	pactumv1connect.FinanceServiceName,
	pactumv1connect.ForecastServiceName,
	pactumv1connect.FundingServiceName,
	pactumv1connect.ReportServiceName,
	pactumv1connect.ResultsServiceName,
	pactumv1connect.IndicatorSheetServiceName,
	pactumv1connect.ActivityServiceName,
	pactumv1connect.ProgressUpdateServiceName,
	pactumv1connect.AttachmentServiceName,
	pactumv1connect.NotificationServiceName,
	pactumv1connect.ContractServiceName,
	pactumv1connect.NarrativeReportServiceName,
	pactumv1connect.ProcurementContractServiceName,
}

// Readiness says whether the server can answer calls now: nil when it can,
// or what it is missing (the database, the file store).
type Readiness func(ctx context.Context) error

// Mount registers every Pactum service, health checking and reflection on
// mux. gRPC health reports NOT_SERVING while ready (when set) fails.
func Mount(mux *http.ServeMux, s Services, cfg AuthConfig, ready Readiness, log *slog.Logger) error {
	validator, err := protovalidate.New()
	if err != nil {
		return err
	}
	opts := []connect.HandlerOption{
		connect.WithInterceptors(logInterceptor(log), errorInterceptor(log), authInterceptor(s.Identity, log), textInterceptor(), validateInterceptor(validator), fingerprintInterceptor()),
		connect.WithReadMaxBytes(MaxRequestBytes),
		connect.WithRecover(func(ctx context.Context, spec connect.Spec, _ http.Header, p any) error {
			log.ErrorContext(ctx, "panic in handler", "procedure", spec.Procedure, "panic", p)
			return connect.NewError(connect.CodeInternal, errors.New("internal error; it has been logged"))
		}),
	}
	handle := func(path string, h http.Handler) { mux.Handle(path, withSite(h, cfg.PublicURL)) }
	auth := &authServer{ids: s.Identity, cfg: cfg, log: log}
	handle(pactumv1connect.NewAuthServiceHandler(auth, opts...))
	handle(pactumv1connect.NewUserServiceHandler(&userServer{ids: s.Identity, auth: auth, log: log}, opts...))
	handle(pactumv1connect.NewAuditServiceHandler(&auditServer{svc: s.Audit}, opts...))
	handle(pactumv1connect.NewOrganisationServiceHandler(&organisationServer{svc: s.Organisations}, opts...))
	handle(pactumv1connect.NewFrameworkAgreementServiceHandler(&agreementServer{svc: s.Agreements}, opts...))
	handle(pactumv1connect.NewGrantServiceHandler(&grantServer{svc: s.Grants}, opts...))
	handle(pactumv1connect.NewProjectServiceHandler(&projectServer{svc: s.Projects}, opts...))
	handle(pactumv1connect.NewMilestoneServiceHandler(&milestoneServer{svc: s.Milestones}, opts...))
	handle(pactumv1connect.NewBudgetServiceHandler(&budgetServer{svc: s.Budgets}, opts...))
	// Imports carry files: rate files up to 5 MB, ledgers up to 32 MB.
	handle(pactumv1connect.NewExchangeRateServiceHandler(&rateServer{svc: s.Rates}, append(opts, connect.WithReadMaxBytes(6<<20))...))
	handle(pactumv1connect.NewExpenditureServiceHandler(&expenditureServer{svc: s.Expenditures, receipts: s.Receipts, log: log}, append(opts, connect.WithReadMaxBytes(33<<20))...))
	// A grant from its contract carries the budget file, up to 5 MB.
	handle(pactumv1connect.NewContractServiceHandler(&contractServer{svc: s.Contracts}, append(opts, connect.WithReadMaxBytes(6<<20))...))
	handle(pactumv1connect.NewFinanceServiceHandler(&financeServer{svc: s.Finance}, opts...))
	handle(pactumv1connect.NewForecastServiceHandler(&forecastServer{svc: s.Finance}, opts...))
	handle(pactumv1connect.NewFundingServiceHandler(&fundingServer{svc: s.Finance}, opts...))
	handle(pactumv1connect.NewReportServiceHandler(&reportServer{svc: s.Reports}, opts...))
	handle(pactumv1connect.NewResultsServiceHandler(&resultsServer{svc: s.Results}, opts...))
	handle(pactumv1connect.NewIndicatorSheetServiceHandler(&indicatorSheetServer{svc: s.Results, tmpDir: s.Reports.TempDir()}, opts...))
	handle(pactumv1connect.NewActivityServiceHandler(&activityServer{svc: s.Activities}, opts...))
	handle(pactumv1connect.NewProgressUpdateServiceHandler(&progressServer{svc: s.Progress}, opts...))
	handle(pactumv1connect.NewAttachmentServiceHandler(&attachmentServer{svc: s.Attachments}, opts...))
	handle(pactumv1connect.NewNotificationServiceHandler(&notificationServer{svc: s.Notifications}, opts...))
	handle(pactumv1connect.NewNarrativeReportServiceHandler(&narrativeServer{svc: s.Narrative, tmpDir: s.Reports.TempDir}, opts...))
	handle(pactumv1connect.NewProcurementContractServiceHandler(&procurementServer{svc: s.Procurement}, opts...))
	mountReceipts(mux, s, cfg, log)
	mountAttachments(mux, s, cfg, log)

	mux.Handle(grpchealth.NewHandler(&healthChecker{ready: ready, log: log}))
	reflector := grpcreflect.NewStaticReflector(append(slices.Clone(ServiceNames),
		grpchealth.HealthV1ServiceName, grpcreflect.ReflectV1ServiceName, grpcreflect.ReflectV1AlphaServiceName)...)
	mux.Handle(grpcreflect.NewHandlerV1(reflector))
	mux.Handle(grpcreflect.NewHandlerV1Alpha(reflector))
	return nil
}

// healthChecker answers gRPC health checks for the server ("") and each of
// ServiceNames: SERVING when ready, NOT_SERVING otherwise (all services
// share the database and file store).
type healthChecker struct {
	ready Readiness
	log   *slog.Logger
}

func (h *healthChecker) Check(ctx context.Context, req *grpchealth.CheckRequest) (*grpchealth.CheckResponse, error) {
	if req.Service != "" && !slices.Contains(ServiceNames, req.Service) {
		return nil, connect.NewError(connect.CodeNotFound, fmt.Errorf("unknown service %q", req.Service))
	}
	if h.ready != nil {
		if err := h.ready(ctx); err != nil {
			h.log.WarnContext(ctx, "not ready", "error", err)
			return &grpchealth.CheckResponse{Status: grpchealth.StatusNotServing}, nil
		}
	}
	return &grpchealth.CheckResponse{Status: grpchealth.StatusServing}, nil
}
