import { Injectable } from '@nestjs/common';

/** Data another module adds to the vendor page, by vendor id (e.g. its assessments and open findings). */
export type VendorPageSection = (vendorId: string) => Promise<Record<string, unknown>>;

/**
 * Lets modules that build on vendors (assessments, reviews) add data to the vendor page without
 * the vendors module importing them: they register a section at start, the page collects them.
 */
@Injectable()
export class VendorPageSections {
  private readonly sections: VendorPageSection[] = [];

  register(section: VendorPageSection): void {
    this.sections.push(section);
  }

  async collect(vendorId: string): Promise<Record<string, unknown>> {
    const parts = await Promise.all(this.sections.map((s) => s(vendorId)));
    return Object.assign({}, ...parts);
  }
}
