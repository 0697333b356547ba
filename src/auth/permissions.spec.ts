import { hasPermission, Permission, PERMISSION_DESCRIPTIONS, PERMISSION_MATRIX, ROLES } from './permissions';

describe('permission matrix', () => {
  // The written matrix of README.md, row by row. Changing a role's rights means changing this table too.
  const expected: Record<string, string[]> = {
    admin: Object.values(Permission),
    procurement: [
      'vendor.read',
      'vendor.create',
      'vendor.update',
      'vendor.archive',
      'vendor.tier_override',
      'staff.directory',
      'questionnaire.read',
      'assessment.read',
      'assessment.send',
      'evidence.read',
      'finding.manage',
      'contract.read',
      'contract.manage',
      'contract.checklist',
      'review_cycle.complete',
    ],
    reviewer: [
      'vendor.read',
      'vendor.tier_override',
      'staff.directory',
      'questionnaire.read',
      'questionnaire.manage',
      'assessment.read',
      'assessment.review',
      'evidence.read',
      'finding.manage',
      'finding.accept_risk',
      'contract.read',
      'contract.checklist',
      'review_cycle.complete',
    ],
    viewer: ['vendor.read', 'questionnaire.read', 'assessment.read', 'contract.read'],
  };

  it.each(ROLES.flatMap((role) => Object.values(Permission).map((p) => [role, p] as const)))(
    '%s / %s',
    (role, permission) => {
      expect(hasPermission(role, permission)).toBe(expected[role].includes(permission));
    },
  );

  it('describes every permission', () => {
    expect(Object.keys(PERMISSION_DESCRIPTIONS).sort()).toEqual(Object.values(Permission).sort());
  });

  it('knows no role outside the list', () => {
    expect(Object.keys(PERMISSION_MATRIX).sort()).toEqual([...ROLES].sort());
    expect(hasPermission('intruder' as never, Permission.VendorRead)).toBe(false);
  });
});
