/** `webhooks:manage`: webhook endpoints, their delivery log and redelivery. */
export const SCOPES = ['sessions:read', 'sessions:write', 'sessions:decide', 'webhooks:manage'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
