// dist/adapters/ga4.min.js: registers the ga4 adapter for the script tag (see register.ts); load it after base.min.js.
import { ga4Adapter } from '../ga4';
import { register } from './register';

register('ga4', ga4Adapter);
