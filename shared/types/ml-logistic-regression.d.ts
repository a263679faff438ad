// ml-logistic-regression 2.0.0 ships no type declarations: the part of its API the trainer uses.
declare module 'ml-logistic-regression' {
    import type { Matrix } from 'ml-matrix';

    interface TwoClassModel {
        weights: Matrix;
        testScores(features: Matrix): number[];
    }

    export default class LogisticRegression {
        constructor(options?: { numSteps?: number; learningRate?: number });
        /** One-vs-all: classifiers[i] scores P(class != i). */
        classifiers: TwoClassModel[];
        numberClasses: number;
        train(X: Matrix, Y: Matrix): void;
        predict(X: Matrix): number[];
    }
}
