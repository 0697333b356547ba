import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination.dto';
import { emptyToUndefined, queryBoolean as toBool } from '../../common/http/query-values';
import {
  TIERS,
  type Tier,
  VENDOR_CATEGORIES,
  VENDOR_SORTS,
  VENDOR_STATUSES,
  type VendorCategory,
  type VendorSort,
  type VendorStatus,
} from '../vendor.enums';


export class VendorQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches name or legal entity' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: TIERS })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @ApiPropertyOptional({ enum: [...TIERS, 'none'], description: "Residual risk from the last completed assessment; 'none' for vendors not assessed yet" })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn([...TIERS, 'none'])
  residualRisk?: Tier | 'none';

  @ApiPropertyOptional({ enum: VENDOR_STATUSES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(VENDOR_STATUSES)
  status?: VendorStatus;

  @ApiPropertyOptional({ enum: VENDOR_CATEGORIES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(VENDOR_CATEGORIES)
  category?: VendorCategory;

  @ApiPropertyOptional({ format: 'uuid' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ description: 'true lists archived vendors instead of current ones', default: false })
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  archived?: boolean;

  @ApiPropertyOptional({ enum: VENDOR_SORTS, default: 'name', description: 'A leading - sorts descending' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(VENDOR_SORTS)
  sort?: VendorSort;
}
