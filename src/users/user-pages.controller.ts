import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission, PERMISSION_MATRIX, ROLES } from '../auth/permissions';
import { AppException } from '../common/errors/app-exception';
import { AppConfig } from '../config/app-config';
import { errorMap, field, FormBody, validateForm } from '../common/forms/form-body';
import { ID_PARAM } from '../common/http/id-param';
import { noticeFrom, renderPage } from '../common/http/page-renderer';
import { LOCALES } from '../i18n/i18n';
import { ChangeOwnPasswordDto, CreateUserDto, SetPasswordDto, UpdateUserDto, UserQueryDto } from './dto/user.dto';
import { UsersService } from './users.service';
import { accountPage } from './account-page';

const OPTIONS = { roles: ROLES, locales: LOCALES };

/** User administration (admins) and the signed-in user's own account page. */
@ApiExcludeController()
@Controller()
export class UserPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Get('admin/users')
  @Authenticated({ permission: Permission.UserManage })
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const q = req.query as Record<string, unknown>;
    const { dto: query } = await validateForm(UserQueryDto, { page: q.page ?? 1, pageSize: 100, ...(typeof q.q === 'string' && q.q ? { q: q.q } : {}) });
    const result = await this.users.list(query);
    return renderPage(req, reply, 'users/list', { ...OPTIONS, result, query, notice: noticeFrom(req), matrix: PERMISSION_MATRIX, permissions: Object.values(Permission) });
  }

  @Get('admin/users/new')
  @Authenticated({ permission: Permission.UserManage })
  newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return renderPage(req, reply, 'users/new', { ...OPTIONS, values: { role: 'viewer', locale: 'en' }, errors: {} });
  }

  @Post('admin/users')
  @Authenticated({ permission: Permission.UserManage })
  async create(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const input = { email: field(body, 'email'), name: field(body, 'name'), role: field(body, 'role'), password: field(body, 'password'), locale: field(body, 'locale') || undefined };
    const { dto, errors } = await validateForm(CreateUserDto, input);
    const values = { ...input, password: '' };
    if (errors.length) return renderPage(req, reply, 'users/new', { ...OPTIONS, values, errors: errorMap(errors) }, 400);
    try {
      await this.users.create(dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.code === 'user.email_taken') {
        return renderPage(req, reply, 'users/new', { ...OPTIONS, values, errors: { email: 'users.email_taken' } }, 409);
      }
      throw err;
    }
    return reply.redirect('/admin/users?notice=user_created', 303);
  }

  @Get('admin/users/:id')
  @Authenticated({ permission: Permission.UserManage })
  async editForm(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const user = await this.users.get(id);
    return renderPage(req, reply, 'users/edit', { ...OPTIONS, target: user, values: user, errors: {}, notice: noticeFrom(req) });
  }

  @Post('admin/users/:id')
  @Authenticated({ permission: Permission.UserManage })
  async update(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const target = await this.users.get(id);
    const input = { name: field(body, 'name'), role: field(body, 'role'), locale: field(body, 'locale'), disabled: field(body, 'disabled') === 'true' };
    const { dto, errors } = await validateForm(UpdateUserDto, input);
    if (errors.length) return renderPage(req, reply, 'users/edit', { ...OPTIONS, target, values: input, errors: errorMap(errors) }, 400);
    try {
      await this.users.update(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && (err.code === 'user.last_admin' || err.code === 'user.self_change')) {
        return renderPage(req, reply, 'users/edit', { ...OPTIONS, target, values: input, errors: { _form: `users.${err.code.slice(5)}` } }, 409);
      }
      throw err;
    }
    return reply.redirect(`/admin/users/${id}?notice=user_updated`, 303);
  }

  @Post('admin/users/:id/password')
  @Authenticated({ permission: Permission.UserManage })
  async setPassword(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const target = await this.users.get(id);
    const { dto, errors } = await validateForm(SetPasswordDto, { password: field(body, 'password') });
    if (errors.length) return renderPage(req, reply, 'users/edit', { ...OPTIONS, target, values: target, errors: errorMap(errors) }, 400);
    await this.users.setPassword(id, dto.password, actorFromRequest(req));
    return reply.redirect(`/admin/users/${id}?notice=password_set`, 303);
  }

  @Get('account')
  @Authenticated()
  async account(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const me = await this.users.get(req.auth!.user.id);
    return renderPage(req, reply, 'users/account', accountPage(me, this.config.REMINDER_DIGEST_HOUR, { notice: noticeFrom(req) }));
  }

  @Post('account/password')
  @Authenticated()
  async changePassword(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const me = await this.users.get(req.auth!.user.id);
    const input = { currentPassword: field(body, 'currentPassword'), newPassword: field(body, 'newPassword') };
    const { dto, errors } = await validateForm(ChangeOwnPasswordDto, input);
    const again = (fieldErrors: Record<string, string>) => renderPage(req, reply, 'users/account', accountPage(me, this.config.REMINDER_DIGEST_HOUR, { errors: fieldErrors }), 400);
    if (errors.length) return again(errorMap(errors));
    if (input.newPassword !== field(body, 'confirmPassword')) {
      return again({ confirmPassword: 'account.mismatch' });
    }
    try {
      await this.users.changeOwnPassword(me.id, dto.currentPassword, dto.newPassword, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.code.startsWith('auth.')) {
        const key = err.code === 'auth.password_reused' ? 'account.reused' : 'account.wrong_current';
        return again({ [err.code === 'auth.password_reused' ? 'newPassword' : 'currentPassword']: key });
      }
      throw err;
    }
    return reply.redirect('/login?notice=password_changed', 303);
  }
}
