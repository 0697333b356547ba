/**
 * Demo contracts: a DPA of Paycrest Payments whose clause checklist is half done (a breach
 * window over 72 hours, an audit clause only in part), and Yuntu Logistics' master agreement
 * with no clause recorded yet. Idempotent by reference.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-context';
import { Clock } from '../clock/clock';
import { addDays, addMonths, toIsoDate } from '../common/dates';
import { ContractEntity } from '../contracts/contract.entity';
import { ContractsService } from '../contracts/contracts.service';
import { VendorEntity } from '../vendors/vendor.entity';

export interface DemoContractSummary {
  created: string[];
  skipped: string[];
}

export async function loadDemoContracts(app: INestApplicationContext, actor: AuditActor, log: (line: string) => void): Promise<DemoContractSummary> {
  const ds = app.get(DataSource);
  const contracts = app.get(ContractsService);
  const today = toIsoDate(app.get(Clock).now());
  const summary: DemoContractSummary = { created: [], skipped: [] };
  const plans = [
    {
      vendor: 'Paycrest Payments',
      dto: {
        title: 'Data processing agreement',
        reference: 'DEMO-DPA-001',
        type: 'dpa' as const,
        effectiveDate: addMonths(today, -10),
        expiryDate: addDays(addMonths(today, 2), 15),
        autoRenewal: true,
        renewalMonths: 12,
        noticeDays: 60,
        value: '48000.00',
        currency: 'EUR',
      },
      entries: [
        { clause: 'gdpr.dpa.written', status: 'present' as const, sectionRef: 'DPA §1' },
        { clause: 'gdpr.dpa.instructions', status: 'present' as const, sectionRef: 'DPA §3.1' },
        { clause: 'gdpr.dpa.security', status: 'present' as const, sectionRef: 'Annex 2' },
        { clause: 'gdpr.dpa.audit', status: 'partial' as const, sectionRef: 'DPA §11', notes: 'Certificates only; no right to audit on site.' },
        { clause: 'gdpr.breach.processor', status: 'present' as const, sectionRef: 'DPA §9.2', params: { notify_hours: 96 } },
        { clause: 'bp.breach_window', status: 'present' as const, sectionRef: 'DPA §9.2', params: { notify_hours: 96 } },
        { clause: 'pci.12.8.2', status: 'present' as const, sectionRef: 'MSA §14' },
      ],
    },
    {
      vendor: '云途物流 Yuntu Logistics',
      dto: { title: '物流服务主协议', reference: 'DEMO-MSA-002', type: 'msa' as const, effectiveDate: addMonths(today, -4), expiryDate: addMonths(today, 20), autoRenewal: false, noticeDays: 90 },
      entries: [],
    },
  ];
  for (const plan of plans) {
    const vendor = await ds.getRepository(VendorEntity).findOneBy({ name: plan.vendor });
    if (!vendor || vendor.archivedAt) continue;
    if (await ds.getRepository(ContractEntity).existsBy({ vendorId: vendor.id, reference: plan.dto.reference })) {
      summary.skipped.push(plan.dto.reference);
      log(`  contract ${plan.dto.reference} of ${plan.vendor} exists, skipped`);
      continue;
    }
    const c = await contracts.create({ vendorId: vendor.id, ...plan.dto }, actor);
    if (plan.entries.length) await contracts.updateChecklist(c.id, { version: c.version, entries: plan.entries }, actor);
    summary.created.push(plan.dto.reference);
    log(`  contract ${plan.dto.reference} of ${plan.vendor}: ${plan.entries.length} clause(s) recorded`);
  }
  return summary;
}
