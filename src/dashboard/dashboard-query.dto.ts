import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { queryBoolean as toBool } from '../common/http/query-values';


export class DashboardQueryDto {
  @ApiPropertyOptional({ description: 'Only the vendors the caller owns', default: false })
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  mine?: boolean;
}
