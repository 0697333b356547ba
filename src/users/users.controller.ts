import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Auth, Authenticated } from '../auth/auth.decorators';
import type { AuthContext } from '../auth/auth-context';
import { Permission } from '../auth/permissions';
import { ID_PARAM } from '../common/http/id-param';
import { PageDto, toPage } from '../common/http/pagination.dto';
import {
  ChangeOwnPasswordDto,
  CreateUserDto,
  SetPasswordDto,
  StaffDirectoryEntryDto,
  UpdateUserDto,
  UserDto,
  UserQueryDto,
} from './dto/user.dto';
import { UsersService } from './users.service';


@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Authenticated({ permission: Permission.UserManage })
  async list(@Query() query: UserQueryDto): Promise<PageDto<UserDto>> {
    return toPage(await this.users.list(query), query, UserDto.from);
  }

  @Get('directory')
  @Authenticated({ permission: Permission.StaffDirectory })
  @ApiOkResponse({ type: [StaffDirectoryEntryDto] })
  async directory(): Promise<StaffDirectoryEntryDto[]> {
    return (await this.users.directory()).map((u) => ({ id: u.id, name: u.name, role: u.role }));
  }

  @Post()
  @Authenticated({ permission: Permission.UserManage })
  @ApiCreatedResponse({ type: UserDto })
  async create(@Body() dto: CreateUserDto, @Req() req: FastifyRequest): Promise<UserDto> {
    return UserDto.from(await this.users.create(dto, actorFromRequest(req)));
  }

  @Get(':id')
  @Authenticated({ permission: Permission.UserManage })
  @ApiOkResponse({ type: UserDto })
  async get(@Param('id', ID_PARAM) id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(id));
  }

  @Patch(':id')
  @Authenticated({ permission: Permission.UserManage })
  @ApiOkResponse({ type: UserDto })
  async update(@Param('id', ID_PARAM) id: string, @Body() dto: UpdateUserDto, @Req() req: FastifyRequest): Promise<UserDto> {
    return UserDto.from(await this.users.update(id, dto, actorFromRequest(req)));
  }

  @Put(':id/password')
  @HttpCode(204)
  @Authenticated({ permission: Permission.UserManage })
  async setPassword(@Param('id', ID_PARAM) id: string, @Body() dto: SetPasswordDto, @Req() req: FastifyRequest): Promise<void> {
    await this.users.setPassword(id, dto.password, actorFromRequest(req));
  }
}

@ApiTags('users')
@Controller('api/me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: UserDto })
  async me(@Auth() auth: AuthContext): Promise<UserDto> {
    return UserDto.from(await this.users.get(auth.user.id));
  }

  /** Changes the caller's password and ends all their sessions, this one included. */
  @Put('password')
  @HttpCode(204)
  @Authenticated()
  async changePassword(@Auth() auth: AuthContext, @Body() dto: ChangeOwnPasswordDto, @Req() req: FastifyRequest): Promise<void> {
    await this.users.changeOwnPassword(auth.user.id, dto.currentPassword, dto.newPassword, actorFromRequest(req));
  }
}
