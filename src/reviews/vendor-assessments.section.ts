import { Injectable, OnModuleInit } from '@nestjs/common';
import { AssessmentsService } from '../assessments/assessments.service';
import { VendorPageSections } from '../vendors/vendor-page-sections';
import { ReviewsService } from './reviews.service';

/** Adds the vendor's latest assessments and its open findings to the vendor page. */
@Injectable()
export class VendorAssessmentsSection implements OnModuleInit {
  constructor(
    private readonly sections: VendorPageSections,
    private readonly assessments: AssessmentsService,
    private readonly reviews: ReviewsService,
  ) {}

  onModuleInit(): void {
    this.sections.register(async (vendorId) => {
      const [assessments, findings] = await Promise.all([
        this.assessments.list({ vendorId, page: 1, pageSize: 10 }),
        this.reviews.listFindings({ vendorId, status: 'open', page: 1, pageSize: 20 }),
      ]);
      return { assessments: assessments.items, openFindings: findings.items };
    });
  }
}
