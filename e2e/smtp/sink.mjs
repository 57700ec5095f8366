// A local SMTP sink for the browser tests: accepts every message on SAMSYN_E2E_SMTP_PORT and
// shows what it received, parsed, as JSON at http://127.0.0.1:SAMSYN_E2E_SMTP_HTTP_PORT/messages.
import http from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const smtpPort = Number(process.env.SAMSYN_E2E_SMTP_PORT ?? '18525');
const httpPort = Number(process.env.SAMSYN_E2E_SMTP_HTTP_PORT ?? '18526');
const received = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
        });
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(smtpPort, '127.0.0.1');

http
  .createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(request.url === '/messages' ? received : []));
  })
  .listen(httpPort, '127.0.0.1', () => console.log(`SMTP sink on ${smtpPort}, messages on ${httpPort}`));
