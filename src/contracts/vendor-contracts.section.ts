import { Injectable, OnModuleInit } from '@nestjs/common';
import { VendorPageSections } from '../vendors/vendor-page-sections';
import { ClauseLibraryService } from './clause-library.service';
import { gapText, inEveryLocale } from './clause-wording';
import { ContractsService } from './contracts.service';
import { ContractDto } from './dto/contract.dto';

/** Gaps shown on the vendor page; the contract pages show the rest. */
const TOP_GAPS = 5;

/**
 * Adds the vendor's contracts to the vendor page: each with its status and notice deadline, the
 * clause coverage over the contracts in force, and the most severe gaps (texts in every page
 * language, since sections are collected without the request).
 */
@Injectable()
export class VendorContractsSection implements OnModuleInit {
  constructor(
    private readonly sections: VendorPageSections,
    private readonly contracts: ContractsService,
    private readonly library: ClauseLibraryService,
  ) {}

  onModuleInit(): void {
    this.sections.register(async (vendorId) => {
      const report = await this.contracts.vendorReport(vendorId).catch(() => null);
      if (!report) return {};
      const today = this.contracts.today();
      return {
        vendorContracts: {
          contracts: report.contracts.map((v) => ContractDto.from(v.contract, today)),
          counts: report.gaps.counts,
          topGaps: report.gaps.gaps.slice(0, TOP_GAPS).map((g) => {
            const clause = this.library.library.byKey.get(g.clauseKey);
            return {
              severity: g.severity,
              clause: g.clauseKey,
              contractId: g.contractId ?? null,
              title: clause?.title ?? { en: g.clauseKey, 'zh-CN': g.clauseKey },
              text: inEveryLocale((t, locale) => gapText(t, g, clause, locale)),
            };
          }),
        },
      };
    });
  }
}
