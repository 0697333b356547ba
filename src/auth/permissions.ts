/**
 * The permission matrix: which role may do what. Guards enforce it on every route,
 * README prints it, and a unit test pins it. Pure data.
 */
export const ROLES = ['admin', 'procurement', 'reviewer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export enum Permission {
  VendorRead = 'vendor.read',
  VendorCreate = 'vendor.create',
  VendorUpdate = 'vendor.update',
  VendorArchive = 'vendor.archive',
  VendorRestore = 'vendor.restore',
  VendorTierOverride = 'vendor.tier_override',
  StaffDirectory = 'staff.directory',
  UserManage = 'user.manage',
  AuditRead = 'audit.read',
  QuestionnaireRead = 'questionnaire.read',
  QuestionnaireManage = 'questionnaire.manage',
  AssessmentRead = 'assessment.read',
  AssessmentSend = 'assessment.send',
  AssessmentReview = 'assessment.review',
  EvidenceRead = 'evidence.read',
  FindingManage = 'finding.manage',
  RiskAccept = 'finding.accept_risk',
  ContractRead = 'contract.read',
  ContractManage = 'contract.manage',
  ContractChecklist = 'contract.checklist',
  ReviewCycleComplete = 'review_cycle.complete',
}

export const PERMISSION_MATRIX: Record<Role, readonly Permission[]> = {
  admin: Object.values(Permission),
  procurement: [
    Permission.VendorRead,
    Permission.VendorCreate,
    Permission.VendorUpdate,
    Permission.VendorArchive,
    Permission.VendorTierOverride,
    Permission.StaffDirectory,
    Permission.QuestionnaireRead,
    Permission.AssessmentRead,
    Permission.AssessmentSend,
    Permission.EvidenceRead,
    Permission.FindingManage,
    Permission.ContractRead,
    Permission.ContractManage,
    Permission.ContractChecklist,
    Permission.ReviewCycleComplete,
  ],
  reviewer: [
    Permission.VendorRead,
    Permission.VendorTierOverride,
    Permission.StaffDirectory,
    Permission.QuestionnaireRead,
    Permission.QuestionnaireManage,
    Permission.AssessmentRead,
    Permission.AssessmentReview,
    Permission.EvidenceRead,
    Permission.FindingManage,
    Permission.RiskAccept,
    Permission.ContractRead,
    Permission.ContractChecklist,
    Permission.ReviewCycleComplete,
  ],
  viewer: [Permission.VendorRead, Permission.QuestionnaireRead, Permission.AssessmentRead, Permission.ContractRead],
};

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  [Permission.VendorRead]: 'See the vendor register, vendor details and tier explanations',
  [Permission.VendorCreate]: 'Onboard a vendor (intake and data profile)',
  [Permission.VendorUpdate]: 'Change a vendor, its contact and its data profile',
  [Permission.VendorArchive]: 'Archive a vendor (no hard delete exists)',
  [Permission.VendorRestore]: 'Bring an archived vendor back',
  [Permission.VendorTierOverride]: 'Override the computed tier, with a reason, or clear the override',
  [Permission.StaffDirectory]: 'List staff names to pick a business owner',
  [Permission.UserManage]: 'Create, change, disable staff accounts and reset passwords',
  [Permission.AuditRead]: 'Read the audit trail',
  [Permission.QuestionnaireRead]: 'See questionnaire modules and their versions; export them',
  [Permission.QuestionnaireManage]: 'Import a questionnaire or publish a new version of one',
  [Permission.AssessmentRead]: 'See assessments, their answers, scores and findings',
  [Permission.AssessmentSend]: 'Send a questionnaire, resend or revoke its link, cancel it',
  [Permission.AssessmentReview]: 'Review answers (accept, reject, override a score), ask for clarification, complete a review',
  [Permission.EvidenceRead]: 'Download the evidence vendors attached',
  [Permission.FindingManage]: 'Raise findings and move them through remediation',
  [Permission.RiskAccept]: 'Accept the risk of a finding, with a reason and an expiry date',
  [Permission.ContractRead]: 'See contracts, their clause checklists and the clause gaps; download signed documents',
  [Permission.ContractManage]: 'Add and change contracts, attach the signed document, terminate a contract',
  [Permission.ContractChecklist]: 'Record which data-protection clauses a contract carries, with their parameters',
  [Permission.ReviewCycleComplete]: 'Close a contract-renewal or accepted-risk review with what was decided',
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return PERMISSION_MATRIX[role]?.includes(permission) ?? false;
}
