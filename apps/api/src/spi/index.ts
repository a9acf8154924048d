/** The register's routes: start, read and set the state of a payment. */
export { PaymentOwners } from './payment-owners';
export { spiRouter } from './spi-router';
