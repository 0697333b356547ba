import { bearer, TestContext } from './test-app';

/** A valid contract body for the API: a DPA in force on the test clock's day (2026-03-02), ending 2027-05-31. */
export function contractInput(vendorId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vendorId,
    title: 'Data processing agreement',
    reference: 'DPA-2025-001',
    type: 'dpa',
    effectiveDate: '2025-06-01',
    expiryDate: '2027-05-31',
    autoRenewal: false,
    noticeDays: 90,
    ...overrides,
  };
}

/** Creates a contract through the API; resolves to its response body. */
export async function newContract(ctx: TestContext, token: string, vendorId: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const res = await ctx.http.post('/api/contracts').set(bearer(token)).send(contractInput(vendorId, overrides));
  if (res.status !== 201) throw new Error(`creating a contract answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Sets checklist entries through the API; resolves to the response body (contract, checklist, gaps). */
export async function setChecklist(ctx: TestContext, token: string, contractId: string, version: number, entries: object[]) {
  const res = await ctx.http.patch(`/api/contracts/${contractId}/checklist`).set(bearer(token)).send({ version, entries });
  if (res.status !== 200) throw new Error(`setting the checklist answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
