import type { BusinessModelSource } from './business-model';
import { FRAUD_BUSINESS } from './fraud-business';

/**
 * The business models the simulator knows, tried in order; a model with outcomes none fits gets
 * the generic one (business-model.ts). A demo model's business is added here.
 */
export const BUSINESS_MODEL_SOURCES: readonly BusinessModelSource[] = [FRAUD_BUSINESS];
