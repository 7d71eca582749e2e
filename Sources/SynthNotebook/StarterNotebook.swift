/// The notebook `synthlab new NAME` writes: front matter with params, prose, and a few cells that run as is.
package enum StarterNotebook {
    /// The starter text for a notebook titled `title`.
    package static func text(title: String) -> String {
        """
        ---
        title: \(yamlQuote(title))
        author: ""
        params:
          split: test
          top_k: 100
        ---

        # \(title)

        Prose is Markdown. Fenced blocks marked `synth` are cells; they run top to bottom in one
        environment, and `synthlab run` renders everything into `reports/<name>.html` and `.json`.
        Cell options go in leading `#|` lines: `label`, `cache`, `echo`, `error`, `timeout`.

        ## Data

        ```synth
        #| label: data
        data = load scifact split=params.split
        show data
        ```

        ## Retrieval and evaluation

        ```synth
        #| label: bm25
        index = bm25 data
        run1 = search index on=data top_k=params.top_k
        ```

        ```synth
        #| label: evaluate
        results = evaluate run1 on=data measures=["ndcg_cut.10", "recall.100"] label="starter"
        table results caption="BM25 on the test split"
        plot bar y=[results.ndcg_cut_10, results.recall_100] labels=["nDCG@10", "R@100"] title="BM25"
        ```
        """ + "\n"
    }

    private static func yamlQuote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
