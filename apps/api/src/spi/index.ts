/** The register's routes: start, read and set the state of a payment. */
export { PaymentDirectory } from './payment-directory';
export { spiRouter } from './spi-router';
