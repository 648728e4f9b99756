package rpc

import (
	v1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/policy"
)

// access declares what every procedure needs of its caller. A procedure
// missing here is refused (fail closed), and the access-matrix test fails
// for any registered procedure without an entry.
var access = map[string]policy.Need{
	v1.AuthServiceSignInProcedure:               policy.Public,
	v1.AuthServiceAcceptInvitationProcedure:     policy.Public,
	v1.AuthServiceRequestPasswordResetProcedure: policy.Public,
	v1.AuthServiceResetPasswordProcedure:        policy.Public,
	v1.AuthServiceSignOutProcedure:              policy.SignedIn,
	v1.AuthServiceGetSessionProcedure:           policy.SignedIn,
	v1.AuthServiceCreateApiTokenProcedure:       policy.SignedIn,
	v1.AuthServiceListApiTokensProcedure:        policy.SignedIn,
	v1.AuthServiceRevokeApiTokenProcedure:       policy.SignedIn,

	v1.UserServiceListUsersProcedure:  policy.UserAdmin,
	v1.UserServiceGetUserProcedure:    policy.UserAdmin,
	v1.UserServiceInviteUserProcedure: policy.UserAdmin,
	v1.UserServiceUpdateUserProcedure: policy.UserAdmin,

	v1.AuditServiceListAuditEventsProcedure: policy.SignedIn,

	v1.OrganisationServiceListOrganisationsProcedure:  policy.SignedIn,
	v1.OrganisationServiceGetOrganisationProcedure:    policy.SignedIn,
	v1.OrganisationServiceCreateOrganisationProcedure: policy.SignedIn,
	v1.OrganisationServiceUpdateOrganisationProcedure: policy.SignedIn,
	v1.OrganisationServiceDeleteOrganisationProcedure: policy.SignedIn,

	v1.FrameworkAgreementServiceListFrameworkAgreementsProcedure:  policy.SignedIn,
	v1.FrameworkAgreementServiceGetFrameworkAgreementProcedure:    policy.SignedIn,
	v1.FrameworkAgreementServiceCreateFrameworkAgreementProcedure: policy.SignedIn,
	v1.FrameworkAgreementServiceUpdateFrameworkAgreementProcedure: policy.SignedIn,
	v1.FrameworkAgreementServiceDeleteFrameworkAgreementProcedure: policy.SignedIn,
	v1.FrameworkAgreementServiceCloseFrameworkAgreementProcedure:  policy.SignedIn,
	v1.FrameworkAgreementServiceReopenFrameworkAgreementProcedure: policy.SignedIn,

	v1.GrantServiceListGrantsProcedure:    policy.SignedIn,
	v1.GrantServiceGetGrantProcedure:      policy.SignedIn,
	v1.GrantServiceCreateGrantProcedure:   policy.SignedIn,
	v1.GrantServiceUpdateGrantProcedure:   policy.SignedIn,
	v1.GrantServiceDeleteGrantProcedure:   policy.SignedIn,
	v1.GrantServiceActivateGrantProcedure: policy.SignedIn,
	v1.GrantServiceCloseGrantProcedure:    policy.SignedIn,

	// The contract package asks policy.MayCreateGrants, as CreateGrant does.
	v1.ContractServiceCreateGrantFromContractProcedure: policy.SignedIn,

	v1.ProjectServiceListProjectsProcedure:  policy.SignedIn,
	v1.ProjectServiceGetProjectProcedure:    policy.SignedIn,
	v1.ProjectServiceCreateProjectProcedure: policy.SignedIn,
	v1.ProjectServiceUpdateProjectProcedure: policy.SignedIn,
	v1.ProjectServiceDeleteProjectProcedure: policy.SignedIn,
	v1.ProjectServiceCloseProjectProcedure:  policy.SignedIn,
	v1.ProjectServiceReopenProjectProcedure: policy.SignedIn,

	v1.MilestoneServiceListMilestonesProcedure:    policy.SignedIn,
	v1.MilestoneServiceListDueMilestonesProcedure: policy.SignedIn,
	v1.MilestoneServiceGetMilestoneProcedure:      policy.SignedIn,
	v1.MilestoneServiceCreateMilestoneProcedure:   policy.SignedIn,
	v1.MilestoneServiceUpdateMilestoneProcedure:   policy.SignedIn,
	v1.MilestoneServiceDeleteMilestoneProcedure:   policy.SignedIn,
	v1.MilestoneServiceSubmitMilestoneProcedure:   policy.SignedIn,
	v1.MilestoneServiceAcceptMilestoneProcedure:   policy.SignedIn,
	v1.MilestoneServiceCancelMilestoneProcedure:   policy.SignedIn,
	v1.BudgetServiceListBudgetTemplatesProcedure:  policy.SignedIn,
	v1.BudgetServiceGetBudgetTemplateProcedure:    policy.SignedIn,
	v1.BudgetServiceCreateBudgetTemplateProcedure: policy.SignedIn,
	v1.BudgetServiceDeleteBudgetTemplateProcedure: policy.SignedIn,
	v1.BudgetServiceListBudgetVersionsProcedure:   policy.SignedIn,
	v1.BudgetServiceGetBudgetVersionProcedure:     policy.SignedIn,
	v1.BudgetServiceCreateBudgetVersionProcedure:  policy.SignedIn,
	v1.BudgetServiceUpdateBudgetVersionProcedure:  policy.SignedIn,
	v1.BudgetServiceDeleteBudgetVersionProcedure:  policy.SignedIn,
	v1.BudgetServiceAdoptBudgetVersionProcedure:   policy.SignedIn,
	v1.BudgetServiceCreateBudgetLineProcedure:     policy.SignedIn,
	v1.BudgetServiceUpdateBudgetLineProcedure:     policy.SignedIn,
	v1.BudgetServiceDeleteBudgetLineProcedure:     policy.SignedIn,
	v1.BudgetServiceGetGrantRulesProcedure:        policy.SignedIn,
	v1.BudgetServiceUpdateGrantRulesProcedure:     policy.SignedIn,

	v1.ExchangeRateServiceListExchangeRatesProcedure:   policy.SignedIn,
	v1.ExchangeRateServiceSetExchangeRateProcedure:     policy.SignedIn,
	v1.ExchangeRateServiceDeleteExchangeRateProcedure:  policy.SignedIn,
	v1.ExchangeRateServiceImportExchangeRatesProcedure: policy.SignedIn,
	v1.ExchangeRateServiceListTransfersProcedure:       policy.SignedIn,
	v1.ExchangeRateServiceCreateTransferProcedure:      policy.SignedIn,
	v1.ExchangeRateServiceDeleteTransferProcedure:      policy.SignedIn,

	v1.ExpenditureServiceListExpendituresProcedure:        policy.SignedIn,
	v1.ExpenditureServiceGetExpenditureProcedure:          policy.SignedIn,
	v1.ExpenditureServiceCreateExpenditureProcedure:       policy.SignedIn,
	v1.ExpenditureServiceUpdateExpenditureProcedure:       policy.SignedIn,
	v1.ExpenditureServiceDeleteExpenditureProcedure:       policy.SignedIn,
	v1.ExpenditureServiceSubmitExpenditureProcedure:       policy.SignedIn,
	v1.ExpenditureServiceVerifyExpenditureProcedure:       policy.SignedIn,
	v1.ExpenditureServiceRejectExpenditureProcedure:       policy.SignedIn,
	v1.ExpenditureServiceDeleteReceiptProcedure:           policy.SignedIn,
	v1.ExpenditureServiceImportLedgerProcedure:            policy.SignedIn,
	v1.ExpenditureServiceGetLedgerTemplateProcedure:       policy.SignedIn,
	v1.ExpenditureServiceBatchSubmitExpendituresProcedure: policy.SignedIn,
	v1.ExpenditureServiceBatchVerifyExpendituresProcedure: policy.SignedIn,
	v1.ExpenditureServiceBatchRejectExpendituresProcedure: policy.SignedIn,

	v1.FinanceServiceGetBudgetVsActualProcedure:         policy.SignedIn,
	v1.FinanceServiceCheckComplianceProcedure:           policy.SignedIn,
	v1.FinanceServiceListPrefinancingPaymentsProcedure:  policy.SignedIn,
	v1.FinanceServiceCreatePrefinancingPaymentProcedure: policy.SignedIn,
	v1.FinanceServiceDeletePrefinancingPaymentProcedure: policy.SignedIn,
	v1.FinanceServiceGetPrefinancingPlanProcedure:       policy.SignedIn,
	v1.FinanceServiceUpdatePrefinancingPlanProcedure:    policy.SignedIn,

	// The finance package decides: full readers read, finance managers enter.
	v1.ForecastServiceGetForecastProcedure:    policy.SignedIn,
	v1.ForecastServiceUpdateForecastProcedure: policy.SignedIn,
	// The finance package asks readFull (reads) and CanManageFinance (writes).
	v1.FundingServiceListFundingSourcesProcedure:   policy.SignedIn,
	v1.FundingServiceCreateFundingSourceProcedure:  policy.SignedIn,
	v1.FundingServiceUpdateFundingSourceProcedure:  policy.SignedIn,
	v1.FundingServiceDeleteFundingSourceProcedure:  policy.SignedIn,
	v1.FundingServiceCreateFundingReceiptProcedure: policy.SignedIn,
	v1.FundingServiceDeleteFundingReceiptProcedure: policy.SignedIn,
	v1.FundingServiceGetFundingSummaryProcedure:    policy.SignedIn,

	// The narrative package decides: coordinators and auditors read and
	// export, coordinators compile, edit and submit.
	v1.NarrativeReportServiceGetNarrativeReportProcedure:     policy.SignedIn,
	v1.NarrativeReportServiceCompileNarrativeReportProcedure: policy.SignedIn,
	v1.NarrativeReportServiceUpdateNarrativeSectionProcedure: policy.SignedIn,
	v1.NarrativeReportServiceSubmitNarrativeReportProcedure:  policy.SignedIn,
	v1.NarrativeReportServiceExportNarrativeReportProcedure:  policy.SignedIn,

	v1.ReportServiceExportFinancialReportProcedure:  policy.SignedIn,
	v1.ReportServiceExportPaymentRequestProcedure:   policy.SignedIn,
	v1.ResultsServiceListResultsProcedure:           policy.SignedIn,
	v1.ResultsServiceGetResultProcedure:             policy.SignedIn,
	v1.ResultsServiceCreateResultProcedure:          policy.SignedIn,
	v1.ResultsServiceUpdateResultProcedure:          policy.SignedIn,
	v1.ResultsServiceListIndicatorsProcedure:        policy.SignedIn,
	v1.ResultsServiceGetIndicatorProcedure:          policy.SignedIn,
	v1.ResultsServiceCreateIndicatorProcedure:       policy.SignedIn,
	v1.ResultsServiceUpdateIndicatorProcedure:       policy.SignedIn,
	v1.ResultsServiceGetGrantResultsRollupProcedure: policy.SignedIn,
	v1.ActivityServiceListActivitiesProcedure:       policy.SignedIn,
	v1.ActivityServiceGetActivityProcedure:          policy.SignedIn,
	v1.ActivityServiceCreateActivityProcedure:       policy.SignedIn,
	v1.ActivityServiceUpdateActivityProcedure:       policy.SignedIn,

	// The results package decides: the logframe by results access (a
	// partner, its own projects); the indicator sheet by full readers,
	// its submissions by grant managers.
	v1.IndicatorSheetServiceExportLogframeProcedure:            policy.SignedIn,
	v1.IndicatorSheetServiceExportIndicatorSheetProcedure:      policy.SignedIn,
	v1.IndicatorSheetServiceGetIndicatorSheetProcedure:         policy.SignedIn,
	v1.IndicatorSheetServiceRecordIndicatorSubmissionProcedure: policy.SignedIn,
	v1.IndicatorSheetServiceListIndicatorSubmissionsProcedure:  policy.SignedIn,

	v1.ProgressUpdateServiceListProgressUpdatesProcedure:            policy.SignedIn,
	v1.ProgressUpdateServiceGetProgressUpdateProcedure:              policy.SignedIn,
	v1.ProgressUpdateServiceCreateProgressUpdateProcedure:           policy.SignedIn,
	v1.ProgressUpdateServiceUpdateProgressUpdateProcedure:           policy.SignedIn,
	v1.ProgressUpdateServiceSubmitProgressUpdateProcedure:           policy.SignedIn,
	v1.ProgressUpdateServiceReturnProgressUpdateProcedure:           policy.SignedIn,
	v1.ProgressUpdateServiceApproveProgressUpdateProcedure:          policy.SignedIn,
	v1.ProgressUpdateServiceListProgressUpdateCommentsProcedure:     policy.SignedIn,
	v1.ProgressUpdateServiceCreateProgressUpdateCommentProcedure:    policy.SignedIn,
	v1.ProgressUpdateServiceGetGrantProgressOverviewProcedure:       policy.SignedIn,
	v1.AttachmentServiceListAttachmentsProcedure:                    policy.SignedIn,
	v1.AttachmentServiceDeleteAttachmentProcedure:                   policy.SignedIn,
	v1.AttachmentServiceUpdateAttachmentProcedure:                   policy.SignedIn,
	v1.ProcurementContractServiceListProcurementContractsProcedure:  policy.SignedIn,
	v1.ProcurementContractServiceCreateProcurementContractProcedure: policy.SignedIn,
	v1.ProcurementContractServiceUpdateProcurementContractProcedure: policy.SignedIn,
	v1.ProcurementContractServiceDeleteProcurementContractProcedure: policy.SignedIn,
	v1.NotificationServiceListNotificationsProcedure:                policy.SignedIn,
	v1.NotificationServiceMarkNotificationsReadProcedure:            policy.SignedIn,
	v1.NotificationServiceGetNotificationSettingsProcedure:          policy.SignedIn,
	v1.NotificationServiceUpdateNotificationSettingsProcedure:       policy.SignedIn,
}

// AccessRule returns the declared need of a procedure, and whether it has one.
func AccessRule(procedure string) (policy.Need, bool) {
	n, ok := access[procedure]
	return n, ok
}
