export declare const ROOT: string
export declare function electronExecutable(): string | null
export declare function electronVersion(): string
export declare function electronAbi(): string
