package feeds

import (
	"fmt"
	"strings"
)

// appleCategories is Apple Podcasts' category list (A Podcaster's Guide to
// RSS, the categories in effect since 2019): each category and its
// subcategories.
var appleCategories = map[string][]string{
	"Arts":                    {"Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"},
	"Business":                {"Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"},
	"Comedy":                  {"Comedy Interviews", "Improv", "Stand-Up"},
	"Education":               {"Courses", "How To", "Language Learning", "Self-Improvement"},
	"Fiction":                 {"Comedy Fiction", "Drama", "Science Fiction"},
	"Government":              nil,
	"History":                 nil,
	"Health & Fitness":        {"Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"},
	"Kids & Family":           {"Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"},
	"Leisure":                 {"Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden", "Video Games"},
	"Music":                   {"Music Commentary", "Music History", "Music Interviews"},
	"News":                    {"Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News", "Tech News"},
	"Religion & Spirituality": {"Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"},
	"Science":                 {"Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences", "Nature", "Physics", "Social Sciences"},
	"Society & Culture":       {"Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"},
	"Sports":                  {"Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"},
	"Technology":              nil,
	"True Crime":              nil,
	"TV & Film":               {"After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"},
}

// Category is an Apple Podcasts category, with an optional subcategory.
type Category struct{ Name, Sub string }

func (c Category) String() string {
	if c.Sub == "" {
		return c.Name
	}
	return c.Name + " > " + c.Sub
}

// ParseCategory reads "News" or "News > Politics" and checks it against
// Apple's list.
func ParseCategory(s string) (Category, error) {
	name, sub, _ := strings.Cut(s, ">")
	c := Category{strings.TrimSpace(name), strings.TrimSpace(sub)}
	subs, ok := appleCategories[c.Name]
	if !ok {
		return c, fmt.Errorf("not one of Apple's categories (such as \"News\" or \"News > Politics\")")
	}
	if c.Sub == "" {
		return c, nil
	}
	for _, s := range subs {
		if s == c.Sub {
			return c, nil
		}
	}
	if len(subs) == 0 {
		return c, fmt.Errorf("%s has no subcategories in Apple's list", c.Name)
	}
	return c, fmt.Errorf("not a subcategory of %s in Apple's list: want one of %s", c.Name, strings.Join(subs, ", "))
}
