extension DecisionTree {
    /// Each feature's total impurity decrease over the splits on it, as a share of the
    /// whole tree's decrease: scikit-learn's `feature_importances_` when no synthetic rows
    /// were added. A split's decrease is its rows times (its impurity − its children's,
    /// weighted by their shares of the rows). The children's shares come from their own row
    /// counts, and a negative decrease counts as none, because node augmentation adds
    /// synthetic rows to a child after the split, so a child may hold more rows, and a
    /// higher impurity, than the split saw. All zeros for a lone leaf.
    public func featureImportance() -> [Double] {
        var decrease = [Double](repeating: 0, count: featureNames.count)
        for node in 0..<nodeCount where !isLeaf(node) {
            let leftRows = Double(rows(left[node])), rightRows = Double(rows(right[node]))
            let children = (leftRows * impurity[left[node]] + rightRows * impurity[right[node]]) / max(leftRows + rightRows, 1)
            decrease[feature[node]] += Double(rows(node)) * max(impurity[node] - children, 0)
        }
        let total = decrease.reduce(0, +)
        return total > 0 ? decrease.map { $0 / total } : decrease
    }
}
