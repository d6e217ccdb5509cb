export declare const COLLECTOR_START: string;
export declare const COLLECTOR_END: string;
export declare function collectorSection(text: string): string;
export declare function withCollectorSection(text: string, section: string): string;
