import nodemailer from 'nodemailer';

/** One plain-text e-mail. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail. Absent (null) when no `SMTP_URL` is configured: links are then shown to the admin. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** A mailer over SMTP (`smtp://user:pass@host:587`, `smtps://…`), or null without a URL. */
export function createMailer(smtpUrl: string | undefined, from: string): Mailer | null {
  if (!smtpUrl) return null;
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
