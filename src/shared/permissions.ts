// Roles and the permissions they grant (SPEC §3). Shared so the renderer can hide what the
// server would refuse; the server's requirePermission guard is still the only authority.
export const PERMISSIONS = [
  'chat.view',
  'chat.manage',
  'personas.manage',
  'widget.manage',
  'webhooks.manage',
  'team.manage',
  'audit.view',
  'tenants.manage',
  'pricebook.manage',
  'catalog.manage',
  'settings.manage',
  /** Find, export and erase a visitor's data (GDPR rights, issue #22). */
  'privacy.manage',
  /** A business's quick replies (canned responses) and conversation labels (issue #23). */
  'canned.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'owner', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  owner: [
    'chat.view',
    'chat.manage',
    'personas.manage',
    'widget.manage',
    'webhooks.manage',
    'team.manage',
    'audit.view',
    'catalog.manage',
    'privacy.manage',
    'canned.manage',
  ],
  agent: ['chat.view', 'chat.manage'],
};

export function permissionsOf(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]];
}
