export declare const repoRoot: string;
export declare const suiteEntry: string;
export declare const suiteFixture: string;
export declare function buildExtensionHostSuite(): Promise<string>;
