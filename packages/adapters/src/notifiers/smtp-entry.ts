export { type SmtpChannelOptions, smtpChannel } from "./smtp.js"
