// dist/adapters/mixpanel.min.js: registers the mixpanel adapter for the script tag (see register.ts); load it after base.min.js.
import { mixpanelAdapter } from '../mixpanel';
import { register } from './register';

register('mixpanel', mixpanelAdapter);
