import { SEED_USERS, type SeedUser } from './seed.js';

const BY_NAME = new Map(SEED_USERS.map((u) => [u.name, u]));

export function findUser(name: string): SeedUser | undefined {
  return BY_NAME.get(name);
}

export function getFullName(user: string): string {
  const u = BY_NAME.get(user);
  if (!u) return user;
  return [u.first_name, u.last_name].filter(Boolean).join(' ');
}

/** OIDC userinfo claims (frappe/oauth.py get_userinfo); `sub` is null for users without a User Social Login row. */
export function userinfo(user: string, issuer: string): Record<string, unknown> {
  const u = BY_NAME.get(user);
  return {
    sub: u?.sub ?? null,
    name: getFullName(user),
    given_name: u?.first_name ?? user,
    family_name: u?.last_name ?? null,
    email: u?.email ?? user,
    picture: null,
    roles: u?.roles ?? ['All', 'Guest'],
    iss: issuer,
  };
}
