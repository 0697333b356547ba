import { Global, Module } from '@nestjs/common';
import { MailService } from './mail.service';
import { OutboxDelivery } from './outbox-delivery.service';

/**
 * Outgoing mail for every feature, through the outbox (`OutboxDelivery`): SMTP when `SMTP_URL` is
 * set, else `.eml` files in `DATA_DIR/outbox/`.
 */
@Global()
@Module({
  providers: [MailService, OutboxDelivery],
  exports: [MailService, OutboxDelivery],
})
export class MailModule {}
