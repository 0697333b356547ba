import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class DashboardQueryDto {
  @ApiPropertyOptional({ description: 'Only the vendors the caller owns', default: false })
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  mine?: boolean;
}
