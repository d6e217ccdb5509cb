// dist/adapters/posthog.min.js: registers the posthog adapter for the script tag (see register.ts); load it after base.min.js.
import { posthogAdapter } from '../posthog';
import { register } from './register';

register('posthog', posthogAdapter);
