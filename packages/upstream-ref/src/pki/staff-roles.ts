/**
 * Who may read a patient's records. The role is carried in the staff client certificate's subject as
 * the X.520 `title` attribute (OID 2.5.4.12), e.g. `CN=Dr Test,OU=staff,title=doctor`, because a
 * title is what the attribute is for and it leaves OU to say what kind of client this is.
 */
export const STAFF_ROLES = ['doctor', 'dentist', 'pharmacist', 'clerk'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Medical professionals the law lets read medication and check-up information; a clerk is not. */
export const QUALIFIED_ROLES: ReadonlySet<string> = new Set<StaffRole>(['doctor', 'dentist', 'pharmacist']);

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

/** OU values that say what a client certificate is for. */
export const CLIENT_KIND = { kiosk: 'kiosk', staff: 'staff', device: 'kiosk-device' } as const;
